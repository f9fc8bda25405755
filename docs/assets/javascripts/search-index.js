/*
 * The search index is written once, as search/search_index.js: a script, so
 * search also works when the site is opened from disk (Material's offline
 * plugin). Over http the theme asks for search/search_index.json instead;
 * this answers that request with the script's bytes after "var __index = ".
 * Loaded before the theme (extra.polyfills, added by the MkDocs hook).
 */
(function () {
  "use strict";
  var PREFIX = "var __index = ".length;
  var proto = XMLHttpRequest.prototype;
  var open = proto.open;
  var response = Object.getOwnPropertyDescriptor(proto, "response");
  proto.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    var path = String(url).split(/[?#]/)[0];
    if (/(^|\/)search\/search_index\.json$/.test(path)) {
      args[1] = String(url).replace("search_index.json", "search_index.js");
      Object.defineProperty(this, "response", {
        configurable: true,
        get: function () {
          var body = response.get.call(this);
          if (body instanceof Blob) return body.slice(PREFIX, body.size, "application/json");
          return typeof body === "string" ? body.slice(PREFIX) : body;
        },
      });
    }
    return open.apply(this, args);
  };
})();
