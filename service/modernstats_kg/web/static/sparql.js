// The SPARQL query page without a page load for examples, and Ctrl+Enter to run; the page works without it.
(function () {
  "use strict";
  var editor = document.querySelector("[data-sparql-editor]");
  if (!editor) { return; }
  var form = editor.form;
  var hint = document.querySelector("[data-sparql-hint]");
  if (hint) { hint.hidden = false; }
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  document.querySelectorAll("[data-sparql-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var query = new URL(link.href, window.location.href).searchParams.get("query");
      if (query === null || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      editor.value = query;
      editor.focus();
      editor.scrollIntoView({ block: "center" });
    });
  });
})();
