/*
 * The search index is written once, as search/search_index.js: a script, so
 * search also works when the site is opened from disk (Material's offline
 * plugin). Over http the theme asks for search/search_index.json instead;
 * this answers that request with the script's bytes after "var __index = ".
 * Loaded before the theme (extra.polyfills, added by the MkDocs hook), on
 * every page.
 *
 * The second part holds the theme's request for the index back until a
 * reader reaches for search (hovers, touches or focuses it, or arrives with
 * ?q= or ?h= in the address), instead of on every page load: parsing the
 * index and handing it to the search worker was most of the main-thread
 * work of a first visit on a phone (Lighthouse mobile: benchmarks/README.md).
 * Only that request's send() waits; every other request goes through
 * untouched, and opened from disk (file://) nothing is held. It wraps the
 * first part, so it sees the URL the theme asked for. (It was an inline
 * script in overrides/main.html: 1.3 KB on every page.)
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
(function () {
  "use strict";
  var proto = window.XMLHttpRequest && XMLHttpRequest.prototype;
  if (!proto || location.protocol === "file:") return;
  var wanted = /[?&][qh]=/.test(location.search), waiting = [];
  var open = proto.open, send = proto.send;
  function want() {
    if (wanted) return;
    wanted = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }
  proto.open = function (method, url) {
    this.kbHeld = !wanted && /(^|\/)search\/search_index\.json([?#]|$)/.test(String(url));
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (!this.kbHeld || wanted) return send.apply(this, arguments);
    var xhr = this, args = arguments;
    waiting.push(function () { if (xhr.readyState === 1) send.apply(xhr, args); });
  };
  function reaching(event) {
    var el = event.target;
    if (el && el.closest && el.closest(".md-search, label[for='__search'], #__search")) want();
  }
  ["pointerover", "pointerdown", "focusin", "change"].forEach(function (type) {
    document.addEventListener(type, reaching, true);
  });
  window.kbSearchIndexWanted = function () { return wanted; };
})();
