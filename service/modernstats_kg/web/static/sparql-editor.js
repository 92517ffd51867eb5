// The SPARQL page with JavaScript: YASGUI (vendored in static/vendor/yasgui) replaces the plain form, which keeps
// working without it. Completion comes from this site only (its prefixes, the content's classes and properties),
// result IRIs link to their pages here, a server error is marked where the parser stopped, and the download links
// follow the query being edited.
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  if (!host || !window.Yasgui) { return; }
  var Yasgui = window.Yasgui;
  var Yasqe = Yasgui.Yasqe;
  var here = window.location;
  var endpoint = new URL(host.getAttribute("data-endpoint"), here.href).href;
  var prefixesUrl = host.getAttribute("data-prefixes");
  var terms = fetch(host.getAttribute("data-terms"), { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { "class": [], "property": [] }; });
  var textarea = document.getElementById("sparql-query");
  var plain = document.querySelector("[data-sparql-plain]");
  var downloads = document.getElementById("sparql-downloads");
  var marks = [];  // the error marks of the current editor
  var reported = new WeakSet();  // query errors YASGUI shows itself

  // Terms of this knowledge graph instead of the LOV service (which the site's policy would refuse anyway).
  ["class", "property"].forEach(function (kind) {
    Yasqe.forkAutocompleter(kind, {
      name: "site-" + kind,
      bulk: true,
      persistenceId: null,
      get: function () { return terms.then(function (found) { return found[kind] || []; }); },
    }, true);
  });
  Yasqe.defaults.autocompleters = ["prefixes", "variables", "site-class", "site-property"];

  var yasgui = new Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    persistenceId: "modernstats-kg-sparql",
    tabName: host.getAttribute("data-label-tab") || "Query",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { prefixCcApi: prefixesUrl, resizeable: true, editorHeight: "18rem" },
    yasr: { prefixes: {}, defaultPlugin: "table", pluginOrder: ["table", "response"] },
  });
  host.hidden = false;
  if (plain) { plain.hidden = true; }

  var params = new URLSearchParams(here.search);
  var tab = yasgui.getTab();
  watch(tab.getId());
  if (params.get("query") !== null) {
    tab.setQuery(params.get("query"));
    if (host.getAttribute("data-run")) {
      var run = tab.query();  // its failure is shown in the result area and marked in the editor
      if (run && typeof run.catch === "function") { run.catch(function () {}); }
    }
  } else if (!tab.getQuery().trim() && textarea) {
    tab.setQuery(textarea.value);
  }

  fetch(prefixesUrl).then(function (r) { return r.json(); }).then(function (prefixes) {
    Object.keys(yasgui._tabs).forEach(function (id) {
      var yasr = yasgui._tabs[id].getYasr && yasgui._tabs[id].getYasr();
      if (yasr) { yasr.config.prefixes = prefixes; }
    });
  }).catch(function () { /* IRIs stay in full */ });

  // --- result IRIs open their page on this site ---------------------------------------------------------------
  var ID_BASE = "http://id.unece.org/";
  function pageOf(iri) {
    if (iri.indexOf(ID_BASE) === 0 && iri.length > ID_BASE.length && iri.indexOf("?") < 0) {
      var rest = iri.slice(ID_BASE.length);
      var hash = rest.indexOf("#");
      if (hash < 0) { return "/" + rest; }
      var base = rest.slice(0, hash), fragment = rest.slice(hash + 1);
      if (base.indexOf("def/") === 0 && fragment && fragment.indexOf("/") < 0) { return "/" + base + "/" + fragment; }
    }
    return "/resource?iri=" + encodeURIComponent(iri);
  }
  function localLinks(root) {
    root.querySelectorAll("a.iri").forEach(function (a) {
      var iri = a.getAttribute("data-iri") || a.getAttribute("href");
      if (!iri || iri.charAt(0) === "/") { return; }
      a.setAttribute("data-iri", iri);
      a.setAttribute("title", iri);
      a.setAttribute("href", pageOf(iri));
      a.removeAttribute("target");
    });
  }
  // Accessibility: CodeMirror's input gets the editor's name; the "add tab" button leaves the tab list (a tablist
  // holds tabs only) for the place right after it.
  var queryLabel = host.getAttribute("data-label-query") || "SPARQL query";
  function tidy(root) {
    root.querySelectorAll(".CodeMirror textarea:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", queryLabel);
    });
    // (the empty wrapper stays: YASGUI inserts new tabs before it)
    root.querySelectorAll(".tabsList[role=tablist] > [role=presentation] > .addTab").forEach(function (button) {
      var list = button.parentNode.parentNode;
      list.parentNode.insertBefore(button, list.nextSibling);
    });
  }
  tidy(host);
  new MutationObserver(function () { localLinks(host); tidy(host); }).observe(host, { childList: true, subtree: true });

  // --- the server's parse error, marked where its parser stopped -----------------------------------------------
  function clearMarks(yasqe) {
    marks.forEach(function (mark) { mark.clear(); });
    marks = [];
    yasqe.clearGutter("gutterErrorBar");
  }
  function markError(yasqe, body) {
    var error;
    try { error = JSON.parse(body); } catch (e) { return; }
    if (!error || typeof error.line !== "number" || typeof error.column !== "number") { return; }
    var line = error.line - 1, ch = Math.max(error.column - 1, 0);
    var text = yasqe.getLine(line) || "";
    // The parser stops after the word it could not take (as for an unknown prefix) or at the start of the next one:
    // mark that word.
    var word = /[^\s{}().,;]/;
    var start = ch, end = ch;
    if (ch >= text.length || !word.test(text.charAt(ch))) {
      while (start > 0 && word.test(text.charAt(start - 1))) { start -= 1; }
    } else {
      while (end < text.length && word.test(text.charAt(end))) { end += 1; }
    }
    if (start === end) { end = Math.min(start + 1, text.length); start = Math.max(Math.min(start, end - 1), 0); }
    var mark = yasqe.markText({ line: line, ch: start }, { line: line, ch: end },
      { className: "sparql-error-mark", attributes: { title: error.error || "" } });
    marks.push(mark);
    var flag = document.createElement("span");
    flag.className = "sparql-error-flag parseErrorIcon";
    flag.setAttribute("title", error.error || "");
    flag.setAttribute("role", "img");
    flag.setAttribute("aria-label", error.error || "error");
    flag.textContent = "\u2716";
    yasqe.setGutterMarker(line, "gutterErrorBar", flag);
  }
  function watch(tabId) {
    var current = yasgui.getTab(tabId);
    var yasqe = current && current.getYasqe();
    if (!yasqe || yasqe.__siteWatched) { return; }
    yasqe.__siteWatched = true;
    yasqe.on("change", function () { clearMarks(yasqe); updateDownloads(); });
    // A failed query reaches here as an Error whose message is the endpoint's JSON error (with line and column).
    yasqe.on("queryResponse", function (_yasqe, response) {
      clearMarks(yasqe);
      if (response instanceof Error) { markError(yasqe, response.message); }
    });
    // YASQE rethrows that Error after reporting it; it is shown in the result area, so it is not an uncaught one.
    yasqe.on("error", function (_error) { if (_error instanceof Error) { reported.add(_error); } });
  }
  window.addEventListener("unhandledrejection", function (event) {
    if (reported.has(event.reason)) { event.preventDefault(); }
  });
  yasgui.on("tabSelect", function (_y, id) { setTimeout(function () { watch(id); updateDownloads(); }, 0); });
  yasgui.on("tabAdd", function (_y, id) { setTimeout(function () { watch(id); }, 0); });

  // --- downloads of the query being edited, in every format its kind of answer has -----------------------------
  function updateDownloads() {
    var current = yasgui.getTab();
    if (!downloads || !current) { return; }
    var query = current.getQuery();
    var type = current.getYasqe() ? current.getYasqe().getQueryType() : "SELECT";
    var kind = type === "ASK" ? "boolean" : (type === "CONSTRUCT" || type === "DESCRIBE") ? "graph" : "solutions";
    downloads.querySelectorAll("a[data-format]").forEach(function (a) {
      a.hidden = (a.getAttribute("data-kinds") || "").split(" ").indexOf(kind) < 0;
      a.href = "/sparql?" + new URLSearchParams({ query: query, format: a.getAttribute("data-format") }).toString();
    });
    downloads.hidden = !query.trim();
  }
  updateDownloads();

  document.querySelectorAll("[data-sparql-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var query = new URL(link.href, here.href).searchParams.get("query");
      if (query === null || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      yasgui.getTab().setQuery(query);
      host.scrollIntoView({ block: "start" });
    });
  });
})();
