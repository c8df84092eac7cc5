// The editor's live part: after each edit the page asks the server to check the draft (POST …/check) and
// shows the totals, the 勾稽 marks and every problem beside its field. Without this script the form still
// saves, and the problems are listed at the top after each save.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var csrf = form.querySelector("input[name=_csrf]").value;
  var timer = null;
  var sent = 0;
  var lastText = null;

  function fields() {
    var values = {};
    form.querySelectorAll("input[name], textarea[name]").forEach(function (field) {
      if (field.name.charAt(0) !== "_") values[field.name] = field.value;
    });
    return values;
  }

  function item(problem) {
    var li = document.createElement("li");
    li.className = problem.severity;
    li.dataset.key = problem.key;
    var code = document.createElement("code");
    code.textContent = problem.rule;
    li.appendChild(code);
    li.appendChild(document.createTextNode(" " + problem.message));
    return li;
  }

  // A problem goes beside its field, else beside the nearest enclosing part that has a place for it.
  function placeFor(key) {
    while (key) {
      var place = form.querySelector('.field-problems[data-for="' + CSS.escape(key) + '"]');
      if (place) return place;
      var field = form.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (field) return field.closest("td, label") ? attachBeside(field, key) : null;
      var cut = Math.max(key.lastIndexOf("."), key.lastIndexOf("["));
      key = cut > 0 ? key.slice(0, cut) : "";
    }
    return null;
  }

  function attachBeside(field, key) {
    var list = document.createElement("ul");
    list.className = "field-problems";
    list.dataset.for = key;
    var holder = field.closest("td, label");
    holder.appendChild(list);
    return list;
  }

  function show(result) {
    var list = document.getElementById("problem-list");
    list.textContent = "";
    form.querySelectorAll(".field-problems").forEach(function (place) { place.textContent = ""; });
    form.querySelectorAll(".invalid").forEach(function (field) { field.classList.remove("invalid"); });
    (result.problems || []).forEach(function (problem) {
      list.appendChild(item(problem));
      var field = form.querySelector('[data-key="' + CSS.escape(problem.key) + '"]');
      if (field) field.classList.add("invalid");
      var place = placeFor(problem.key);
      if (place) place.appendChild(item(problem));
    });
    if (!list.children.length) {
      var ok = document.createElement("li");
      ok.className = "ok";
      ok.textContent = "没有发现问题。";
      list.appendChild(ok);
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

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 150);
  });

  // The figure picker puts an expression such as {{ table3.new.total }} where the cursor was in a text.
  var lastTextArea = null;
  form.addEventListener("focusin", function (event) {
    if (event.target.tagName === "TEXTAREA") lastTextArea = event.target;
  });
  document.getElementById("insert-figure").addEventListener("click", function () {
    var key = document.getElementById("figure-picker").value;
    var area = lastTextArea || form.querySelector("textarea");
    if (!area || !key) return;
    var expression = "{{ " + key + " }}";
    var start = area.selectionStart, end = area.selectionEnd;
    area.value = area.value.slice(0, start) + expression + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + expression.length;
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });

  show(JSON.parse(form.dataset.initial || "{}"));
})();
