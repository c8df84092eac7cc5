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
    var body = JSON.stringify({ fields: fields() });
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
    var place = area.parentNode.querySelector(".suggest");
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
      localStorage.setItem(storeKey, JSON.stringify({ version: version, when: Date.now(), fields: fields() }));
    } catch (error) { /* a full or disabled storage: the warning before leaving still stands */ }
  }

  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
  form.addEventListener("submit", function () {
    dirty = false;
    try { localStorage.removeItem(storeKey); } catch (error) { /* nothing kept */ }
  });

  function offerRestore() {
    var kept;
    try { kept = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (error) { kept = null; }
    if (!kept || kept.version !== version || !kept.fields) return;
    var now = fields();
    var differs = Object.keys(kept.fields).some(function (key) { return key in now && now[key] !== kept.fields[key]; });
    if (!differs) return;
    var bar = document.getElementById("restore");
    document.getElementById("restore-when").textContent = new Date(kept.when).toLocaleString("zh-CN");
    bar.hidden = false;
    document.getElementById("restore-yes").addEventListener("click", function () {
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

  var initial = JSON.parse(form.dataset.initial || "{}");
  figures = initial.figures || {};
  show(initial);
  offerRestore();
})();
