// The editor's live part: after each edit the page asks the server to check the draft (POST …/check) and
// shows the totals, the 勾稽 marks and every problem beside its field. Quoted figures show as tokens
// (【表三 本年新收 总计：7】) that follow the tables and are deleted whole; the server turns them back into
// expressions when it saves. Unsaved edits are kept in this browser until saved. Without this script the form
// still saves, tokens and all, and the problems are listed at the top after each save.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var csrf = form.querySelector("input[name=_csrf]").value;
  var version = form.querySelector("input[name=_version]").value;
  var labels = JSON.parse(form.dataset.figures || "{}"); // token label → key path
  var figures = {}; // key path → current value
  var TOKEN = /【([^【】：\n]{1,80})：[^【】\n]{0,24}】/g;
  var NUMBER = /(\d+(?:\.\d+)?)\s*(件|条|个|项|次|篇|家|人次|%)/g;
  var timer = null;
  var sent = 0;
  var lastText = null;
  var dirty = false;
  var storeKey = "docgen-draft:" + location.pathname;

  function fields() {
    var values = {};
    form.querySelectorAll("input[name], textarea[name]").forEach(function (field) {
      if (field.name.charAt(0) !== "_") values[field.name] = field.value;
    });
    return values;
  }

  function token(label) {
    var key = labels[label];
    var value = key !== undefined && figures[key] !== undefined ? figures[key] : "？";
    return "【" + label + "：" + value + "】";
  }

  // --- problems, beside their fields and in the list at the top --------------------------------------

  function item(problem, beside) {
    var li = document.createElement("li");
    li.className = problem.severity;
    li.dataset.key = problem.key;
    li.tabIndex = 0;
    var text = document.createElement("span");
    text.className = "message";
    text.textContent = problem.message;
    li.appendChild(text);
    var detail = document.createElement("span");
    detail.className = "detail";
    var where = beside ? "" : problem.where;  // beside its field, the field says where
    detail.textContent = [problem.severity_name, where, "规则 " + problem.rule].filter(Boolean).join(" · ");
    li.appendChild(detail);
    return li;
  }

  // The box a key path is typed in (problems carry data-key too: never them).
  function box(key) {
    var quoted = CSS.escape(key);
    return form.querySelector('input[data-key="' + quoted + '"], textarea[data-key="' + quoted + '"]');
  }

  function fieldFor(key) {
    while (key) {
      var field = box(key);
      if (field) return field;
      var cut = Math.max(key.lastIndexOf("."), key.lastIndexOf("["));
      key = cut > 0 ? key.slice(0, cut) : "";
    }
    return null;
  }

  // A problem goes beside its field, else beside the nearest enclosing part that has a place for it.
  function placeFor(key) {
    while (key) {
      var place = form.querySelector('.field-problems[data-for="' + CSS.escape(key) + '"]');
      if (place) return place;
      var field = box(key);
      if (field) return field.closest("td, label, div.text") ? attachBeside(field, key) : null;
      var cut = Math.max(key.lastIndexOf("."), key.lastIndexOf("["));
      key = cut > 0 ? key.slice(0, cut) : "";
    }
    return null;
  }

  function attachBeside(field, key) {
    var list = document.createElement("ul");
    list.className = "field-problems";
    list.dataset.for = key;
    field.closest("td, label, div.text").appendChild(list);
    return list;
  }

  // A problem in the list, clicked or chosen with Enter: its field comes into view with the cursor in it.
  function goTo(key) {
    var field = fieldFor(key || "");
    if (!field) return;
    field.scrollIntoView({ block: "center" });
    field.focus();
    field.classList.add("focused");
    setTimeout(function () { field.classList.remove("focused"); }, 1500);
  }
  document.getElementById("problem-list").addEventListener("click", function (event) {
    var li = event.target.closest("li[data-key]");
    if (li) goTo(li.dataset.key);
  });
  document.getElementById("problem-list").addEventListener("keydown", function (event) {
    var li = event.target.closest("li[data-key]");
    if (li && event.key === "Enter") {
      event.preventDefault();  // else the Enter goes on to the field it brought up, and submits the form
      goTo(li.dataset.key);
    }
  });

  function show(result) {
    var list = document.getElementById("problem-list");
    list.textContent = "";
    form.querySelectorAll(".field-problems").forEach(function (place) { place.textContent = ""; });
    form.querySelectorAll(".invalid").forEach(function (field) { field.classList.remove("invalid"); });
    (result.problems || []).forEach(function (problem) {
      list.appendChild(item(problem));
      var field = box(problem.key);
      if (field) field.classList.add("invalid");
      var place = placeFor(problem.key);
      if (place) place.appendChild(item(problem, true));
    });
    if (!list.children.length) {
      var ok = document.createElement("li");
      ok.className = "ok";
      ok.textContent = "没有发现问题。";
      list.appendChild(ok);
    }
    if (result.figures) {
      figures = result.figures;
      refreshTokens();
    }
    Object.keys(result.figures || {}).forEach(function (key) {
      form.querySelectorAll('output[data-figure="' + CSS.escape(key) + '"]').forEach(function (output) {
        output.textContent = result.figures[key];
      });
    });
    var balanced = result.balanced || [];
    form.querySelectorAll(".balance .mark").forEach(function (mark) {
      var column = Number(mark.dataset.column);
      var known = column < balanced.length;
      mark.classList.toggle("balanced", known && balanced[column]);
      mark.classList.toggle("unbalanced", known && !balanced[column]);
      mark.textContent = mark.textContent.replace(/[✓✗？]$/, known ? (balanced[column] ? "✓" : "✗") : "？");
    });
    form.querySelectorAll("td[data-column]").forEach(function (cell) {
      var column = Number(cell.dataset.column);
      cell.classList.toggle("unbalanced", column < balanced.length && !balanced[column]);
    });
    var status = document.getElementById("status");
    if (result.errors !== undefined) {
      status.className = "status " + (result.errors ? "errors" : result.warnings ? "warnings" : "ready");
      status.textContent = result.errors ? result.errors + " 个错误（可保存为草稿，改正后才能生成文档）"
        : result.warnings ? result.warnings + " 个提醒" : "没有问题，可以生成";
    }
    if (result.todo !== undefined) document.getElementById("todo").textContent = result.todo;
  }

  function check() {
    var body = JSON.stringify(structure ? { fields: fields(), narrative: layout() } : { fields: fields() });
    if (body === lastText) return;
    lastText = body;
    var number = ++sent;
    fetch(form.dataset.check, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body,
      credentials: "same-origin",
    }).then(function (response) { return response.json(); }).then(function (result) {
      if (number === sent) show(result);  // an older answer never overwrites a newer one
    }).catch(function () {});
  }

  // --- tokens ------------------------------------------------------------------------------------------

  // Every token shows its figure's current value; the cursor stays where it was.
  function refreshTokens() {
    form.querySelectorAll("textarea[data-key]").forEach(function (area) {
      var caret = area.selectionStart, shift = 0;
      var updated = area.value.replace(TOKEN, function (whole, label, offset) {
        if (labels[label] === undefined) return whole;
        var fresh = token(label);
        if (offset + whole.length <= caret) shift += fresh.length - whole.length;
        return fresh;
      });
      if (updated !== area.value) {
        area.value = updated;
        if (document.activeElement === area) area.selectionStart = area.selectionEnd = caret + shift;
      }
    });
  }

  function tokenAt(text, position) {
    TOKEN.lastIndex = 0;
    var found;
    while ((found = TOKEN.exec(text))) {
      if (found.index < position && position < found.index + found[0].length) return found;
    }
    return null;
  }

  // Backspace just after a token, Delete just before one, or either inside one: the whole token goes.
  form.addEventListener("keydown", function (event) {
    var area = event.target;
    if (area.tagName !== "TEXTAREA" || (event.key !== "Backspace" && event.key !== "Delete")) return;
    if (area.selectionStart !== area.selectionEnd) return;
    var caret = area.selectionStart;
    var probe = event.key === "Backspace" ? caret - 1 : caret + 1;
    var found = tokenAt(area.value, probe) || tokenAt(area.value, caret);
    if (!found) return;
    event.preventDefault();
    area.value = area.value.slice(0, found.index) + area.value.slice(found.index + found[0].length);
    area.selectionStart = area.selectionEnd = found.index;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // Where a figure goes: the box the clerk last typed or placed the cursor in — not one Tab passed through
  // on the way to the picker.
  var lastTextArea = null;
  function remember(event) {
    if (event.target.tagName === "TEXTAREA") lastTextArea = event.target;
  }
  form.addEventListener("input", remember);
  form.addEventListener("mouseup", remember);
  form.addEventListener("keyup", function (event) {
    if (event.key !== "Tab" && event.key !== "Shift") remember(event);
  });

  function insert(area, text, start, end) {
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + text.length;
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  var search = document.getElementById("figure-search");
  function insertChosen() {
    var label = search.value.trim();
    var area = lastTextArea || form.querySelector("textarea[data-key]");
    if (!area || labels[label] === undefined) {
      search.setCustomValidity("请从列表中选一个数字");
      search.reportValidity();
      return;
    }
    search.setCustomValidity("");
    var start = area.selectionStart, end = area.selectionEnd;
    if (tokenAt(area.value, start)) start = end = tokenAt(area.value, start).index;  // never inside a token
    insert(area, token(label), start, end);
    search.value = "";
  }
  document.getElementById("insert-figure").addEventListener("click", insertChosen);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      insertChosen();
    }
  });
  search.addEventListener("input", function () { search.setCustomValidity(""); });

  // A number typed in a sentence that equals a figure of the tables: offered to be linked to it.
  function suggest(area) {
    var place = area.closest(".text") && area.closest(".text").querySelector(".suggest");
    if (!place) return;
    place.textContent = "";
    var text = area.value, found, offered = 0;
    NUMBER.lastIndex = 0;
    while ((found = NUMBER.exec(text)) && offered < 2) {
      if (tokenAt(text, found.index + 1) || Number(found[1]) === 0) continue;
      var matching = Object.keys(labels).filter(function (label) {
        return String(figures[labels[label]]) === found[1];
      }).slice(0, 3);
      if (!matching.length) continue;
      offered += 1;
      var line = document.createElement("div");
      line.appendChild(document.createTextNode("“" + found[0] + "”可以关联表中的数字："));
      var at = found.index, length = found[1].length;
      matching.forEach(function (label) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = label;
        button.addEventListener("click", function () { insert(area, token(label), at, at + length); });
        line.appendChild(button);
      });
      place.appendChild(line);
    }
  }

  // --- unsaved edits: a warning before leaving, a copy in this browser ---------------------------------

  function keep() {
    try {
      var copy = { version: version, when: Date.now(), fields: fields(), layout: structure ? layout() : null };
      localStorage.setItem(storeKey, JSON.stringify(copy));
    } catch (error) { /* a full or disabled storage: the warning before leaving still stands */ }
  }

  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
  form.addEventListener("submit", function () {
    if (structure) document.getElementById("narrative-layout").value = JSON.stringify(layout());
    dirty = false;
    try { localStorage.removeItem(storeKey); } catch (error) { /* nothing kept */ }
  });

  function offerRestore() {
    var kept;
    try { kept = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (error) { kept = null; }
    if (!kept || kept.version !== version || !kept.fields) return;
    var now = fields();
    var differs = Object.keys(kept.fields).some(function (key) { return now[key] !== kept.fields[key]; });
    if (!differs) return;
    var bar = document.getElementById("restore");
    document.getElementById("restore-when").textContent = new Date(kept.when).toLocaleString("zh-CN");
    bar.hidden = false;
    document.getElementById("restore-yes").addEventListener("click", function () {
      if (kept.layout && structure) rebuild(kept.layout);  // paragraphs added, moved or removed come back too
      Object.keys(kept.fields).forEach(function (key) {
        var field = form.querySelector('[name="' + CSS.escape(key) + '"]');
        if (field) field.value = kept.fields[key];
      });
      bar.hidden = true;
      dirty = true;
      check();
    });
    document.getElementById("restore-no").addEventListener("click", function () {
      localStorage.removeItem(storeKey);
      bar.hidden = true;
    });
  }

  form.addEventListener("input", function (event) {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(function () {
      keep();
      check();
      if (event.target.tagName === "TEXTAREA") suggest(event.target);
    }, 150);
  });

  // --- the narrative's structure: paragraphs, sub-sections and items added, removed, moved ---------------

  var structure = document.getElementById("structure");
  var PART_KEYS = { preamble: "report.preamble", overview: "overview.paragraphs", problems: "problems.paragraphs", other: "other.paragraphs" };
  var DIGITS = "一二三四五六七八九";

  function chinese(number) {  // 1 → 一, 12 → 十二, 40 → 四十
    if (number < 10) return DIGITS[number - 1];
    var tens = Math.floor(number / 10), ones = number % 10;
    return (tens > 1 ? DIGITS[tens - 1] : "") + "十" + (ones ? DIGITS[ones - 1] : "");
  }

  function makeBox(single) {
    var holder = document.createElement("div");
    holder.className = "text";
    var label = document.createElement("label");
    var caption = document.createTextNode("");
    label.appendChild(caption);
    var field = document.createElement(single ? "input" : "textarea");
    if (single) field.className = "title"; else field.rows = 2;
    label.appendChild(field);
    holder.appendChild(label);
    var suggestions = document.createElement("div");
    suggestions.className = "suggest";
    suggestions.setAttribute("aria-live", "polite");
    holder.appendChild(suggestions);
    var problems = document.createElement("ul");
    problems.className = "field-problems";
    holder.appendChild(problems);
    return holder;
  }

  // A row of buttons, each [data value, text], named by data-move or data-add (the page's delegated handlers).
  function buttonRow(tag, className, dataKey, pairs) {
    var row = document.createElement(tag);
    row.className = className;
    pairs.forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset[dataKey] = pair[0];
      button.textContent = pair[1];
      row.appendChild(button);
    });
    return row;
  }

  function makeMoves(what) {
    return buttonRow("span", "moves", "move", [["up", "↑ 上移"], ["down", "↓ 下移"], ["remove", "✕ 删除" + what]]);
  }

  function makeAdds(kinds) {
    return buttonRow("div", "adds", "add", kinds);
  }

  function makeItem(kind) {
    var item = document.createElement("div");
    item.className = "item";
    item.dataset.kind = kind;
    item.appendChild(makeBox(false));
    if (kind === "enumeration") {
      item.dataset.separator = "；";
      var items = document.createElement("div");
      items.className = "enum-items";
      items.appendChild(makeEntry());
      item.appendChild(items);
      item.appendChild(makeAdds([["item", "＋ 列举项"]]));
      item.appendChild(makeMoves("整个列举"));
    } else {
      item.appendChild(makeMoves("这一段"));
    }
    return item;
  }

  function makeEntry() {
    var entry = document.createElement("div");
    entry.className = "enum-item";
    entry.appendChild(makeBox(false));
    entry.appendChild(makeMoves("这一项"));
    return entry;
  }

  function makeSection() {
    var section = document.createElement("div");
    section.className = "section";
    section.appendChild(makeBox(true));
    section.appendChild(makeMoves("这一节"));
    var paragraphs = document.createElement("div");
    paragraphs.className = "paragraphs";
    paragraphs.appendChild(makeItem("text"));
    section.appendChild(paragraphs);
    section.appendChild(makeAdds([["text", "＋ 段落"], ["enumeration", "＋ 列举（一是……二是……）"]]));
    return section;
  }

  function field(holder) { return holder.querySelector(":scope > .text textarea, :scope > .text input"); }

  function name(box, key, label) {
    var input = box.querySelector("textarea, input");
    input.name = key;
    input.dataset.key = key;
    box.querySelector(".field-problems").dataset.for = key;
    var caption = box.querySelector("label").firstChild;
    caption.textContent = label;
  }

  // Every box named and labelled by where it now stands: 一、总体情况 （二）依申请公开 第3段, …paragraphs[2].
  function relayout() {
    if (!structure) return;
    structure.querySelectorAll(".part").forEach(function (part) {
      var partLabel = part.dataset.label;
      function paragraphs(list, key, label) {
        Array.prototype.forEach.call(list.children, function (item, index) {
          var here = key + "[" + index + "]", words = label + " 第" + (index + 1) + "段";
          var boxes = item.querySelectorAll(":scope > .text");
          if (item.dataset.kind === "enumeration") {
            name(boxes[0], here + ".lead", words + " 列举的引语");
            item.querySelectorAll(":scope > .enum-items > .enum-item").forEach(function (entry, number) {
              name(entry.querySelector(":scope > .text"), here + ".items[" + number + "]", words + " 第" + (number + 1) + "项");
            });
          } else {
            name(boxes[0], here, words);
          }
        });
      }
      paragraphs(part.querySelector(":scope > .paragraphs"), PART_KEYS[part.dataset.part], partLabel);
      part.querySelectorAll(":scope > .sections > .section").forEach(function (section, index) {
        var key = "overview.sections[" + index + "]", number = "（" + chinese(index + 1) + "）";
        var title = section.querySelector(":scope > .text");
        name(title, key + ".title", partLabel + " " + number + "小标题");
        var words = partLabel + " " + number + (field(section) ? field(section).value : "");
        paragraphs(section.querySelector(":scope > .paragraphs"), key + ".paragraphs", words);
      });
    });
  }

  function layout() {
    function paragraphs(list) {
      return Array.prototype.map.call(list.children, function (item) {
        var boxes = item.querySelectorAll(":scope > .text");
        var text = boxes[0].querySelector("textarea, input").value;
        if (item.dataset.kind !== "enumeration") return text;
        return {
          lead: text,
          items: Array.prototype.map.call(item.querySelectorAll(":scope > .enum-items > .enum-item"), function (entry) {
            return entry.querySelector(":scope > .text textarea").value;
          }),
          separator: item.dataset.separator || "；",
        };
      });
    }
    var found = {};
    structure.querySelectorAll(".part").forEach(function (part) {
      found[part.dataset.part] = paragraphs(part.querySelector(":scope > .paragraphs"));
      if (part.dataset.part === "overview") {
        found.sections = Array.prototype.map.call(part.querySelectorAll(":scope > .sections > .section"), function (section) {
          var origin = section.dataset.from;
          return {
            from: origin === undefined || origin === "" ? null : Number(origin),
            title: field(section).value,
            paragraphs: paragraphs(section.querySelector(":scope > .paragraphs")),
          };
        });
      }
    });
    return found;
  }

  // The narrative laid out again as a kept copy had it (its texts are then filled in by their names).
  function rebuild(kept) {
    function fill(list, paragraphs) {
      list.textContent = "";
      (paragraphs || []).forEach(function (paragraph) {
        var item = makeItem(typeof paragraph === "string" ? "text" : "enumeration");
        if (typeof paragraph !== "string") {
          var entries = item.querySelector(".enum-items");
          entries.textContent = "";
          (paragraph.items || []).forEach(function () { entries.appendChild(makeEntry()); });
          item.dataset.separator = paragraph.separator || "；";
        }
        list.appendChild(item);
      });
    }
    structure.querySelectorAll(".part").forEach(function (part) {
      fill(part.querySelector(":scope > .paragraphs"), kept[part.dataset.part]);
      var sections = part.querySelector(":scope > .sections");
      if (!sections) return;
      var old = {};
      sections.querySelectorAll(":scope > .section").forEach(function (section) { old[section.dataset.from] = section; });
      sections.textContent = "";
      (kept.sections || []).forEach(function (entry) {
        var section = makeSection();
        if (entry.from !== null && entry.from !== undefined && old[entry.from]) section.dataset.from = entry.from;
        fill(section.querySelector(":scope > .paragraphs"), entry.paragraphs);
        sections.appendChild(section);
      });
    });
    structure.querySelectorAll(".moves, .adds").forEach(function (element) { element.hidden = false; });
    relayout();
  }

  // What was last removed, to be put back (a click on 删除 is never asked about: it can be undone).
  var removed = null;
  var undo = document.createElement("button");
  undo.type = "button";
  undo.id = "undo-remove";
  undo.hidden = true;
  undo.textContent = "撤销删除";
  undo.addEventListener("click", function () {
    if (!removed) return;
    removed.parent.insertBefore(removed.unit, removed.next && removed.next.parentNode === removed.parent ? removed.next : null);
    removed.unit.querySelector("textarea, input").focus();
    removed = null;
    undo.hidden = true;
    relayout();
    dirty = true;
    lastText = null;
    check();
  });

  if (structure) {
    structure.parentNode.insertBefore(undo, structure);
    structure.querySelectorAll(".moves, .adds").forEach(function (element) { element.hidden = false; });
    structure.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-add], button[data-move]");
      if (!button) return;
      var added = null;
      if (button.dataset.add) {
        var holder = button.closest(".item, .section, .part");
        if (button.dataset.add === "item") {
          added = makeEntry();
          holder.querySelector(":scope > .enum-items").appendChild(added);
        } else if (button.dataset.add === "section") {
          added = makeSection();
          holder.querySelector(":scope > .sections").appendChild(added);
        } else {
          added = makeItem(button.dataset.add);
          holder.querySelector(":scope > .paragraphs").appendChild(added);
        }
      } else {
        var unit = button.closest(".enum-item, .item, .section");
        if (button.dataset.move === "remove") {
          removed = { unit: unit, parent: unit.parentNode, next: unit.nextElementSibling };
          unit.remove();
          undo.hidden = false;
          undo.focus();
        } else if (button.dataset.move === "up" && unit.previousElementSibling) {
          unit.parentNode.insertBefore(unit, unit.previousElementSibling);
        } else if (button.dataset.move === "down" && unit.nextElementSibling) {
          unit.parentNode.insertBefore(unit.nextElementSibling, unit);
        }
        button.focus();  // the keyboard stays on the moved part's button
      }
      relayout();
      dirty = true;
      if (added) {
        added.querySelectorAll(".moves, .adds").forEach(function (element) { element.hidden = false; });
        added.querySelector("textarea, input").focus();
      }
      lastText = null;
      check();
    });
    structure.addEventListener("input", function (event) {
      if (event.target.classList.contains("title")) relayout();  // a sub-section's title names its paragraphs
    });
  }

  var initial = JSON.parse(form.dataset.initial || "{}");
  figures = initial.figures || {};
  show(initial);
  offerRestore();
})();
