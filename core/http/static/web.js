/* Troika web client: the little script on top of server-rendered pages.
 *
 * Every page works without it (forms post, links navigate); with it:
 * search suggestions, many2one search-as-you-type, tags, one2many lines,
 * conditions (invisible/readonly/required) re-evaluated after each change,
 * onchange round trips, inline list editing, expandable groups, confirm
 * dialogs. JSON calls carry the session's CSRF token in X-CSRF-Token.
 * No inline script: data comes from <script type="application/json">.
 */
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function jsonOf(el) { try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; } }
  function debounce(fn, ms) {
    var timer = null;
    return function () { var args = arguments, self = this; clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms); };
  }

  function postJson(url, payload) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { var err = new Error((data.error || {}).message || response.statusText);
          err.data = data.error || {}; throw err; }
        return data;
      });
    });
  }
  window.troika = {postJson: postJson};

  /* ---- conditions: the JSON of core.views.conditions, evaluated as on the server ---- */
  function normalise(value) {
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "number" && typeof value[1] === "string") {
      return value[0];          /* a many2one [id, name] is its id */
    }
    return value === null || value === undefined ? false : value;
  }
  function matches(value, candidates) {
    if (Array.isArray(value)) { return value.some(function (v) { return candidates.indexOf(v) >= 0; }); }
    if (!value && value !== 0) {
      return candidates.some(function (c) { return c === false || c === null; }) || candidates.indexOf(value) >= 0;
    }
    return candidates.indexOf(value) >= 0;
  }
  function like(value, op, operand) {
    var negated = op.indexOf("not ") === 0, kind = op.replace("not ", "");
    if (typeof value !== "string" || typeof operand !== "string") { return negated; }
    var insensitive = kind === "ilike" || kind === "=ilike", found;
    if (kind.charAt(0) === "=") {
      var pattern = operand.split("").map(function (c) {
        return c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("");
      found = new RegExp("^" + pattern + "$", insensitive ? "i" : "").test(value);
    } else { found = insensitive ? value.toLowerCase().indexOf(operand.toLowerCase()) >= 0 : value.indexOf(operand) >= 0; }
    return found !== negated;
  }
  function test(value, op, operand) {
    value = normalise(value);
    if (op === "set") { return !!value && !(Array.isArray(value) && !value.length); }
    if (op === "not set") { return !value || (Array.isArray(value) && !value.length); }
    if (op === "=" || op === "!=" || op === "in" || op === "not in") {
      var positive = matches(value, op === "in" || op === "not in" ? operand : [operand]);
      return op === "=" || op === "in" ? positive : !positive;
    }
    if (op === "<" || op === "<=" || op === ">" || op === ">=") {
      if (value === false || operand === null) { return false; }
      return op === "<" ? value < operand : op === "<=" ? value <= operand : op === ">" ? value > operand : value >= operand;
    }
    return like(value, op, operand);
  }
  function evaluate(cond, values) {
    if (cond === true || cond === false) { return cond; }
    if (cond.and) { return cond.and.every(function (c) { return evaluate(c, values); }); }
    if (cond.or) { return cond.or.some(function (c) { return evaluate(c, values); }); }
    if (cond.not !== undefined) { return !evaluate(cond.not, values); }
    return test(values[cond.field], cond.op, cond.value);
  }
  window.troika.evaluate = evaluate;

  /* ---- forms: values, conditions, onchange ---- */
  function fieldValue(box) {
    var type = box.dataset.type;
    if (type === "many2many") {
      return $$(".o-tag-check", box).filter(function (c) { return c.checked; })
        .map(function (c) { return parseInt(c.value, 10); });
    }
    if (type === "many2one") {
      var id = $(".o-m2o-id", box);
      return id && id.value ? parseInt(id.value, 10) : false;
    }
    if (type === "boolean") { var check = $('input[type="checkbox"]', box); return !!(check && check.checked); }
    if (type === "one2many") { return $$(".o-line", box).length ? [0] : []; }
    var input = $("input:not([type=hidden]):not([type=radio]), select, textarea", box)
      || $("input[type=radio]:checked", box);
    if (!input) { var text = $("[data-text-for]", box); return text ? text.textContent.trim() || false : false; }
    var radio = $("input[type=radio]:checked", box);
    var raw = radio ? radio.value : input.value;
    if (raw === "") { return false; }
    if (type === "integer" || type === "float" || type === "monetary") {
      var n = parseFloat(raw.replace(/,/g, "")); return isNaN(n) ? raw : n;
    }
    if (type === "datetime") { return raw.replace("T", " ") + (raw.length === 16 ? ":00" : ""); }
    return raw;
  }
  function formValues(form) {
    var values = {id: form.dataset.id ? parseInt(form.dataset.id, 10) : false};
    $$(".o-field[data-name]", form).forEach(function (box) {
      if (!box.closest(".o-lines")) { values[box.dataset.name] = fieldValue(box); }
    });
    return values;
  }
  function applyConditions(form) {
    var values = formValues(form);
    $$("[data-invisible]", form).forEach(function (el) {
      el.classList.toggle("o-invisible", evaluate(JSON.parse(el.dataset.invisible), values));
    });
    $$(".o-field[data-readonly]", form).forEach(function (box) {
      var readonly = evaluate(JSON.parse(box.dataset.readonly), values);
      $$("input, select, textarea", box).forEach(function (input) { input.disabled = readonly; });
    });
    $$(".o-field[data-required]", form).forEach(function (box) {
      var required = evaluate(JSON.parse(box.dataset.required), values);
      var label = $('[data-label-for="' + box.dataset.name + '"]', form);
      if (label) { label.classList.toggle("o-required", required); }
    });
  }
  function postedValues(form) {
    var values = {};
    $$(".o-field[data-name]", form).forEach(function (box) {
      if (box.closest(".o-lines")) { return; }
      var name = box.dataset.name, type = box.dataset.type;
      if (type === "one2many" || type === "binary") { return; }
      if (type === "many2many") { values[name] = fieldValue(box); return; }
      if (type === "many2one") { var id = $(".o-m2o-id", box); if (id) { values[name] = id.value; } return; }
      if (type === "boolean") { var check = $('input[type="checkbox"]', box); if (check) { values[name] = check.checked ? "1" : "0"; } return; }
      var radio = $("input[type=radio]:checked", box);
      var input = radio || $("input:not([type=hidden]):not([type=radio]), select, textarea", box);
      if (input && !input.disabled) { values[name] = input.value; }
    });
    return values;
  }
  function setField(form, name, item) {
    var box = $('.o-field[data-name="' + name + '"]', form);
    if (!box) { return; }
    var text = $('[data-text-for="' + name + '"]', box);
    if (text) { text.textContent = item.text; }
    var type = box.dataset.type;
    if (type === "many2one") {
      var id = $(".o-m2o-id", box), display = $(".o-m2o-input", box);
      if (id) { id.value = item.id || ""; }
      if (display) { display.value = item.input || ""; display.dataset.picked = display.value; }
    } else if (type === "boolean") {
      var check = $('input[type="checkbox"]', box); if (check) { check.checked = !!item.checked; }
    } else if (type === "many2many" && item.tags) {
      $$(".o-tag", box).forEach(function (tag) { tag.remove(); });
      item.tags.forEach(function (tag) { addTag(box, tag.id, tag.name); });
    } else {
      var radios = $$("input[type=radio]", box);
      if (radios.length) { radios.forEach(function (r) { r.checked = r.value === item.input; }); return; }
      var input = $("input:not([type=hidden]), select, textarea", box);
      if (input) { input.value = item.input; }
    }
  }
  function runOnchange(form, changed) {
    var payload = {model: form.dataset.model, id: form.dataset.id ? parseInt(form.dataset.id, 10) : null,
                   action_id: form.dataset.action ? parseInt(form.dataset.action, 10) : null,
                   values: postedValues(form), changed: changed};
    form.classList.add("o-busy");
    return postJson("/web/json/onchange", payload).then(function (result) {
      Object.keys(result.value || {}).forEach(function (name) { setField(form, name, result.value[name]); });
      var box = $(".o-onchange-warning");
      if (box) {
        var warning = result.warning;
        box.hidden = !warning;
        box.textContent = warning ? (warning.title ? warning.title + ": " : "") + warning.message : "";
      }
      applyConditions(form);
    }).catch(function (err) { showError(err.message); })
      .then(function () { form.classList.remove("o-busy"); });
  }
  function showError(message) {
    var box = $(".o-onchange-warning");
    if (box) { box.hidden = false; box.textContent = message; } else { window.alert(message); }
  }
  function initForm(form) {
    var onchange = jsonOf($(".o-onchange-fields", form)) || [];
    function changed(event) {
      var box = event.target.closest(".o-field[data-name]");
      if (!box || box.closest(".o-lines")) { applyConditions(form); return; }
      applyConditions(form);
      if (onchange.indexOf(box.dataset.name) >= 0) { runOnchange(form, box.dataset.name); }
    }
    form.addEventListener("change", changed);
    form.addEventListener("troika:change", changed);
    $$(".o-add-line", form).forEach(function (button) {
      button.addEventListener("click", function () { addLine(button); });
    });
    form.addEventListener("change", function (event) {
      if (event.target.classList.contains("o-delete-check")) {
        var row = event.target.closest(".o-line");
        var id = row && $('input[name$=".id"]', row);
        if (id && !id.value) { row.remove(); } else if (row) { row.classList.toggle("o-deleted", event.target.checked); }
      }
    });
    applyConditions(form);
  }
  function addLine(button) {
    var box = button.closest(".o-x2many"), template = $(".o-line-template", box);
    var index = parseInt(button.dataset.next, 10);
    button.dataset.next = index + 1;
    var html = template.innerHTML.replace(/__INDEX__/g, String(index));
    var tbody = $("tbody", box);
    tbody.insertAdjacentHTML("beforeend", html);
    var row = tbody.lastElementChild;
    $$(".o-m2o", row).forEach(initMany2one);
    var first = $("input:not([type=hidden]), select", row);
    if (first) { first.focus(); }
  }

  /* ---- many2one search-as-you-type, tags ---- */
  function menuFor(container, input, search, pick) {
    var menu = $(".o-m2o-menu", container), active = -1, items = [];
    function close() { menu.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function render(results) {
      items = results; menu.innerHTML = "";
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.textContent = r.name; li.setAttribute("role", "option"); li.dataset.index = i;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(r); close(); });
        menu.appendChild(li);
      });
      if (!results.length) {
        var none = document.createElement("li"); none.textContent = "—"; none.className = "o-none"; menu.appendChild(none);
      }
      menu.hidden = false; input.setAttribute("aria-expanded", "true");
    }
    var run = debounce(function () { search(input.value).then(render).catch(close); }, 180);
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { if (!input.value) { run(); } });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (e) {
      var lis = $$("li:not(.o-none)", menu);
      if (menu.hidden || !lis.length) { return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : -1) + lis.length) % lis.length;
        lis.forEach(function (li, i) { li.classList.toggle("active", i === active); });
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault(); pick(items[active]); close();
      } else if (e.key === "Escape") { close(); }
    });
  }
  function nameSearch(container, text, exclude) {
    return postJson("/web/json/name_search", {model: container.dataset.model, field: container.dataset.field,
                                              name: text, limit: 8, exclude: exclude || []})
      .then(function (data) { return data.results; });
  }
  function initMany2one(box) {
    var input = $(".o-m2o-input", box), hidden = $(".o-m2o-id", box);
    if (!input || input.disabled) { return; }
    input.dataset.picked = input.value;
    menuFor(box, input, function (text) { return nameSearch(box, text); }, function (record) {
      hidden.value = record.id; input.value = record.name; input.dataset.picked = record.name;
      input.dispatchEvent(new Event("troika:change", {bubbles: true}));
    });
    input.addEventListener("change", function (e) {
      if (!input.value) { hidden.value = ""; }
      if (input.value !== input.dataset.picked) { e.stopPropagation(); }
      if (!input.value && input.dataset.picked) {
        input.dataset.picked = "";
        input.dispatchEvent(new Event("troika:change", {bubbles: true}));
      }
    });
  }
  function addTag(box, id, name) {
    var label = document.createElement("label");
    label.className = "o-tag";
    var check = document.createElement("input");
    check.type = "checkbox"; check.name = box.dataset.field; check.value = id; check.checked = true;
    check.className = "o-tag-check";
    var span = document.createElement("span"); span.textContent = name;
    label.appendChild(check); label.appendChild(span);
    box.insertBefore(label, $(".o-tag-input", box));
  }
  function initTags(box) {
    var input = $(".o-tag-input", box);
    if (!input) { return; }
    menuFor(box, input, function (text) {
      var current = $$(".o-tag-check", box).filter(function (c) { return c.checked; })
        .map(function (c) { return parseInt(c.value, 10); });
      return nameSearch(box, text, current);
    }, function (record) {
      addTag(box, record.id, record.name); input.value = "";
      input.dispatchEvent(new Event("troika:change", {bubbles: true}));
    });
    box.addEventListener("change", function (e) {
      if (e.target.classList.contains("o-tag-check") && !e.target.checked) { e.target.closest(".o-tag").remove(); }
    });
  }

  /* ---- search bar: "Search <field> for: <text>" ---- */
  function initSearch(form) {
    var input = $(".o-search-input", form), list = $(".o-search-suggest", form);
    var fields = jsonOf($(".o-search-fields", form)) || [];
    var active = 0, label = form.dataset.searchLabel || "Search {field} for: {value}";
    function go(field, text) {
      var url = new URL(form.action, window.location.href);
      new FormData(form).forEach(function (value, key) {
        if (key !== "q_text" && key !== "page") { url.searchParams.append(key, value); }
      });
      url.searchParams.append("q", field + ":" + text);
      window.location.assign(url.pathname + url.search);
    }
    function render() {
      var text = input.value.trim();
      list.innerHTML = "";
      if (!text) { list.hidden = true; return; }
      fields.forEach(function (field, i) {
        var li = document.createElement("li");
        li.textContent = label.replace("{field}", field.string).replace("{value}", text);
        li.dataset.field = field.name;
        li.className = i === active ? "active" : "";
        li.addEventListener("mousedown", function (e) { e.preventDefault(); go(field.name, text); });
        list.appendChild(li);
      });
      list.hidden = !fields.length;
    }
    input.addEventListener("input", function () { active = 0; render(); });
    input.addEventListener("blur", function () { setTimeout(function () { list.hidden = true; }, 150); });
    input.addEventListener("keydown", function (e) {
      var text = input.value.trim();
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault(); active = (active + (e.key === "ArrowDown" ? 1 : -1) + fields.length) % fields.length; render();
      } else if (e.key === "Enter" && text && fields.length) {
        e.preventDefault(); go(fields[active].name, text);
      } else if (e.key === "Backspace" && !input.value) {
        var last = $$(".o-facet-remove", form).pop();
        if (last) { window.location.assign(last.href); }
      }
    });
  }

  /* ---- lists: selection, row links, groups, inline edition, optional columns ---- */
  function initList(table) {
    var bar = $("#o-selection"), all = $(".o-select-all", table);
    function refresh() {
      var checked = $$('input[name="ids"]', table).filter(function (c) { return c.checked; });
      if (bar) { bar.hidden = !checked.length; $(".o-selected-count", bar).textContent = checked.length; }
    }
    table.addEventListener("change", function (e) {
      if (e.target === all) {
        $$('input[name="ids"]', table).forEach(function (c) { c.checked = all.checked; });
      }
      refresh();
    });
    var editable = table.dataset.editable;
    var columns = jsonOf($(".o-columns", table)) || [];
    table.addEventListener("click", function (e) {
      if (e.target.closest("input, a, button, select, label, textarea")) { return; }
      var group = e.target.closest(".o-group-row");
      if (group) { toggleGroup(table, group); return; }
      var row = e.target.closest("tr.o-row");
      if (!row || row.classList.contains("o-editing")) { return; }
      if (editable) { editRow(table, row, columns); } else { window.location.assign(row.dataset.href); }
    });
    table.addEventListener("keydown", function (e) {
      var group = e.target.closest(".o-group-row");
      if (group && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); toggleGroup(table, group); }
    });
    var add = $(".o-add-row");
    if (add) { add.addEventListener("click", function () { newRow(table, columns, add.dataset.position); }); }
    initOptionalColumns(table);
  }
  function toggleGroup(table, row) {
    var open = row.getAttribute("aria-expanded") === "true";
    var key = row.dataset.key || (row.dataset.key = "g" + Math.random().toString(36).slice(2));
    if (open) {
      $$('[data-parent="' + key + '"]', table).forEach(function (child) {
        if (child.classList.contains("o-group-row") && child.getAttribute("aria-expanded") === "true") { toggleGroup(table, child); }
        child.remove();
      });
      row.setAttribute("aria-expanded", "false");
      return;
    }
    var url = new URL(table.dataset.listUrl, window.location.href);
    url.searchParams.set("fragment", "group");
    url.searchParams.set("gdomain", row.dataset.domain);
    url.searchParams.set("level", row.dataset.level);
    fetch(url.pathname + url.search, {credentials: "same-origin"}).then(function (r) { return r.text(); })
      .then(function (html) {
        var holder = document.createElement("tbody");
        holder.innerHTML = html;
        var after = row;
        $$("tr", holder).forEach(function (tr) { tr.dataset.parent = key; after.after(tr); after = tr; });
        row.setAttribute("aria-expanded", "true");
      });
  }
  function editorFor(column, value) {
    var input;
    if (column.type === "selection") {
      input = document.createElement("select");
      var empty = document.createElement("option"); empty.value = ""; input.appendChild(empty);
      column.selection.forEach(function (pair) {
        var option = document.createElement("option"); option.value = pair[0]; option.textContent = pair[1];
        option.selected = pair[0] === value; input.appendChild(option);
      });
    } else if (column.type === "boolean") {
      input = document.createElement("input"); input.type = "checkbox"; input.checked = !!value;
    } else if (column.type === "many2one") {
      var span = document.createElement("span");
      span.className = "o-m2o"; span.dataset.model = document.querySelector(".o-list").dataset.model;
      span.dataset.field = column.name;
      span.innerHTML = '<input type="hidden" class="o-m2o-id"><input type="text" class="o-input o-m2o-input" autocomplete="off" role="combobox"><ul class="o-m2o-menu" hidden></ul>';
      $(".o-m2o-id", span).value = value ? value[0] : "";
      $(".o-m2o-input", span).value = value ? value[1] : "";
      $(".o-m2o-input", span).setAttribute("aria-label", column.string);
      initMany2one(span);
      return span;
    } else {
      input = document.createElement("input");
      input.type = column.type === "date" ? "date" : column.type === "datetime" ? "datetime-local" : "text";
      input.value = value === false || value === null || value === undefined ? "" : value;
    }
    input.className = "o-input"; input.setAttribute("aria-label", column.string);
    return input;
  }
  function editRow(table, row, columns) {
    var current = $("tr.o-editing", table);
    if (current && current !== row) { saveRow(table, current, columns); return; }
    var values = jsonOf($(".o-row-values", row)) || {};
    row.classList.add("o-editing");
    columns.forEach(function (column) {
      var cell = $('td[data-name="' + column.name + '"]', row);
      if (!cell || !column.editable || column.readonly === true) { return; }
      cell.dataset.before = cell.innerHTML;
      cell.innerHTML = "";
      cell.appendChild(editorFor(column, values[column.name]));
    });
    var first = $("input:not([type=hidden]), select", row);
    if (first) { first.focus(); }
    row.addEventListener("keydown", function onKey(e) {
      if (e.key === "Enter" && !e.target.closest(".o-m2o-menu:not([hidden])")) {
        e.preventDefault(); row.removeEventListener("keydown", onKey); saveRow(table, row, columns);
      } else if (e.key === "Escape") { row.removeEventListener("keydown", onKey); cancelRow(row); }
    });
  }
  function cancelRow(row) {
    if (!row.dataset.id) { row.remove(); return; }
    $$("td[data-before]", row).forEach(function (cell) { cell.innerHTML = cell.dataset.before; delete cell.dataset.before; });
    row.classList.remove("o-editing", "o-row-error");
  }
  function saveRow(table, row, columns) {
    var values = {};
    columns.forEach(function (column) {
      var cell = $('td[data-name="' + column.name + '"]', row);
      if (!cell || !cell.dataset.before && cell.dataset.before !== "") { return; }
      if (column.type === "many2one") {
        values[column.name] = $(".o-m2o-id", cell).value;
        values[column.name + "__display"] = $(".o-m2o-input", cell).value;
      } else if (column.type === "boolean") { values[column.name] = $("input", cell).checked ? "1" : "0"; }
      else { values[column.name] = $("input, select", cell).value; }
    });
    var payload = {model: table.dataset.model, id: row.dataset.id ? parseInt(row.dataset.id, 10) : null,
                   action_id: table.dataset.action ? parseInt(table.dataset.action, 10) : null, values: values};
    return postJson("/web/json/save_row", payload).then(function (result) {
      row.dataset.id = result.id;
      row.dataset.href = table.dataset.listUrl.replace(/\?.*$/, "") + "/" + result.id;
      $$("td[data-before]", row).forEach(function (cell) {
        var data = result.cells[cell.dataset.name] || {text: ""};
        cell.textContent = data.tags && data.tags.length ? data.tags.join(", ") : data.text;
        delete cell.dataset.before;
      });
      var holder = $(".o-row-values", row);
      if (holder) { holder.textContent = JSON.stringify(result.values); }
      row.className = "o-row " + (result.classes || []).join(" ");
    }).catch(function (err) {
      row.classList.add("o-row-error");
      row.title = err.message;
      showListError(err.message);
    });
  }
  function showListError(message) {
    var box = $(".o-list-error");
    if (!box) {
      box = document.createElement("div"); box.className = "o-alert o-alert-danger o-list-error"; box.setAttribute("role", "alert");
      $(".o-list-wrap").before(box);
    }
    box.textContent = message;
  }
  function newRow(table, columns, position) {
    var tbody = $("tbody", table), tr = document.createElement("tr");
    tr.className = "o-row";
    var select = document.createElement("td"); select.className = "o-select"; tr.appendChild(select);
    $$("thead th.o-col", table).forEach(function (th) {
      var td = document.createElement("td"); td.dataset.name = th.dataset.name;
      td.className = "o-cell" + (th.classList.contains("o-optional-hidden") ? " o-optional-hidden" : "");
      tr.appendChild(td);
    });
    var holder = document.createElement("script"); holder.type = "application/json"; holder.className = "o-row-values";
    holder.textContent = "{}"; tr.appendChild(holder);
    if (position === "top") { tbody.prepend(tr); } else { tbody.appendChild(tr); }
    editRow(table, tr, columns);
  }
  function initOptionalColumns(table) {
    var optional = $$("th[data-optional]", table);
    if (!optional.length) { return; }
    var key = "troika.optional." + (table.dataset.view || table.dataset.model);
    var saved = {};
    try { saved = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    function apply(name, shown) {
      $$('[data-name="' + name + '"]', table).forEach(function (el) { el.classList.toggle("o-optional-hidden", !shown); });
    }
    var details = document.createElement("details"); details.className = "o-dropdown o-optional";
    details.innerHTML = '<summary aria-label="Columns">⋮</summary><div class="o-dropdown-menu"></div>';
    optional.forEach(function (th) {
      var name = th.dataset.name, shown = name in saved ? saved[name] : th.dataset.optional === "show";
      apply(name, shown);
      var label = document.createElement("label"); label.className = "o-check";
      var check = document.createElement("input"); check.type = "checkbox"; check.checked = shown;
      check.addEventListener("change", function () {
        saved[name] = check.checked; apply(name, check.checked);
        try { window.localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* private mode */ }
      });
      label.appendChild(check); label.appendChild(document.createTextNode(" " + th.textContent.trim()));
      $(".o-dropdown-menu", details).appendChild(label);
    });
    var right = $(".o-cp-right");
    if (right) { right.prepend(details); }
  }

  /* ---- confirmations, menus ---- */
  document.addEventListener("submit", function (e) {
    var form = e.target, submitter = e.submitter;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (!question || form.dataset.confirmed) { return; }
    if (!window.confirm(question)) { e.preventDefault(); return; }
    var flag = document.createElement("input");
    flag.type = "hidden"; flag.name = "confirmed"; flag.value = "1"; form.appendChild(flag);
  });
  document.addEventListener("click", function (e) {
    var toggle = e.target.closest("[data-toggle]");
    if (toggle) { var target = document.getElementById(toggle.dataset.toggle); if (target) { target.classList.toggle("open"); } }
    $$("details.o-dropdown[open]").forEach(function (d) { if (!d.contains(e.target)) { d.open = false; } });
  });

  function init() {
    var form = $("#o-form");
    if (form) { initForm(form); }
    $$(".o-form .o-m2o").forEach(initMany2one);
    $$(".o-form .o-tags").forEach(initTags);
    var search = $(".o-search");
    if (search) { initSearch(search); }
    var list = $("table.o-list");
    if (list) { initList(list); }
    document.documentElement.classList.add("o-js");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
