// Starts Swagger UI or ReDoc (served from the package, no CDN) on /docs and /redoc; no inline script is needed.
(function () {
  "use strict";
  var host = document.getElementById("api-docs");
  if (!host) { return; }
  var url = host.getAttribute("data-openapi");
  if (host.getAttribute("data-api-viewer") === "swagger") {
    window.SwaggerUIBundle({
      url: url,
      domNode: host,
      deepLinking: true,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  } else {
    // ReDoc's menu footer always loads a logo from its CDN; offline, and under img-src 'self', that is an error.
    // That one image gets an empty local picture instead; every other image source passes through untouched.
    var blank = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";
    var local = function (value) { return /^https:\/\/cdn\.redoc\.ly\//.test(String(value)) ? blank : value; };
    var setAttribute = Element.prototype.setAttribute;
    Element.prototype.setAttribute = function (name, value) {
      return setAttribute.call(this, name, this instanceof HTMLImageElement && name === "src" ? local(value) : value);
    };
    var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
    Object.defineProperty(HTMLImageElement.prototype, "src", {
      configurable: true,
      get: src.get,
      set: function (value) { src.set.call(this, local(value)); },
    });
    // The search box of ReDoc runs in a blob: worker, which the site's policy does not allow; the menu remains.
    window.Redoc.init(url, { disableSearch: true, hideDownloadButton: false }, host);
  }
})();
