// Autocomplete for search boxes marked data-suggest, in the ARIA combobox pattern (the input is role=combobox, the
// list role=listbox, the active option named by aria-activedescendant): asks /search/suggest and offers the matches.
// The search works without it (the form submits to /search).
(function () {
  "use strict";
  function setup(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) { return; }
    var endpoint = input.getAttribute("data-suggest");
    var items = [], active = -1, timer = null, lastQuery = "";

    function close() {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else { input.removeAttribute("aria-activedescendant"); }
    }
    function go(li) { window.location.href = li.getAttribute("data-url"); }
    function show(results) {
      list.innerHTML = ""; items = [];
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-url", r.url);
        var name = document.createElement("span");
        name.textContent = (r.code ? r.code + " " : "") + r.label;
        var model = document.createElement("span");
        model.className = "model";
        model.textContent = r.model;
        li.appendChild(name); li.appendChild(model);
        if (r.deprecated) {
          var mark = document.createElement("span");
          mark.className = "model deprecated";
          mark.textContent = list.getAttribute("data-deprecated") || "deprecated";
          li.appendChild(mark);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); go(li); });
        list.appendChild(li); items.push(li);
      });
      if (items.length) {
        list.hidden = false; input.setAttribute("aria-expanded", "true"); highlight(-1);
        items.forEach(function (li, i) { li.setAttribute("aria-setsize", items.length); li.setAttribute("aria-posinset", i + 1); });
      } else { close(); }
    }
    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === lastQuery) { return; }
      lastQuery = q;
      if (!q) { close(); return; }
      fetch(endpoint + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (results) { if (input.value.trim() === q) { show(results); } })
        .catch(close);
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); go(items[active]); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), setup);
  });
})();
