/* Sortable, filterable index tables.
 *
 * Tables marked data-kb-sortable are sorted by the vendored tablesort.
 * The tools bar before a table filters its rows: the text box matches any
 * word of a row, each <select data-kb-filter="x"> keeps rows whose
 * data-filter-x attribute contains the chosen value. The row count is
 * announced politely for screen readers. Filters are mirrored in the URL
 * query (?stage=...&q=...) so a filtered view can be linked.
 */
(function () {
  "use strict";

  function setup(tools) {
    var table = document.getElementById(tools.getAttribute("data-kb-table-tools"));
    if (!table || table.hasAttribute("data-kb-ready")) return;
    table.setAttribute("data-kb-ready", "");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var text = tools.querySelector("[data-kb-filter-text]");
    var selects = Array.prototype.slice.call(tools.querySelectorAll("select[data-kb-filter]"));
    var count = tools.querySelector("[data-kb-count]");
    var noun = count ? count.getAttribute("data-kb-noun") : "";
    var params = new URLSearchParams(window.location.search);

    if (text && params.get("q")) text.value = params.get("q");
    selects.forEach(function (select) {
      var wanted = params.get(select.getAttribute("data-kb-filter"));
      if (wanted) select.value = wanted;
    });

    function apply() {
      var words = text ? text.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
      var shown = 0;
      rows.forEach(function (row) {
        var content = row.textContent.toLowerCase();
        var visible = words.every(function (w) { return content.indexOf(w) !== -1; });
        selects.forEach(function (select) {
          var value = select.value;
          var have = row.getAttribute("data-filter-" + select.getAttribute("data-kb-filter")) || "";
          if (value && have.indexOf(" " + value + " ") === -1) visible = false;
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (count) {
        var label = noun + (shown === 1 ? "" : "s");
        count.textContent = shown === rows.length ? shown + " " + label : shown + " of " + rows.length + " " + noun + "s";
      }
    }

    function remember() {
      var query = new URLSearchParams();
      if (text && text.value) query.set("q", text.value);
      selects.forEach(function (select) {
        if (select.value) query.set(select.getAttribute("data-kb-filter"), select.value);
      });
      var search = query.toString();
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    if (text) text.addEventListener("input", function () { apply(); remember(); });
    selects.forEach(function (select) {
      select.addEventListener("change", function () { apply(); remember(); });
    });
    apply();
  }

  // The stage matrix: cells carry data-paradigm and data-scenario; the two
  // drop-downs hide the others. The choice is kept in the URL (?paradigm=&scenario=).
  function setupMatrix(tools) {
    var matrix = document.getElementById("kb-stage-matrix");
    if (!matrix || tools.hasAttribute("data-kb-ready")) return;
    tools.setAttribute("data-kb-ready", "");
    var selects = Array.prototype.slice.call(tools.querySelectorAll("select[data-kb-matrix-filter]"));
    var cells = Array.prototype.slice.call(matrix.querySelectorAll("li.kb-cell[data-paradigm]"));
    var count = tools.querySelector("[data-kb-matrix-count]");
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.getAttribute("data-kb-matrix-filter"));
      if (wanted) select.value = wanted;
    });

    function apply() {
      var shown = 0;
      cells.forEach(function (cell) {
        var ok = selects.every(function (select) {
          var value = select.value;
          var have = (cell.getAttribute("data-" + select.getAttribute("data-kb-matrix-filter")) || "").split(" ");
          return !value || have.indexOf(value) >= 0;
        });
        cell.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = shown + " of " + cells.length + " cells";
    }

    function remember() {
      var url = new URL(window.location.href);
      selects.forEach(function (select) {
        var name = select.getAttribute("data-kb-matrix-filter");
        if (select.value) url.searchParams.set(name, select.value);
        else url.searchParams.delete(name);
      });
      window.history.replaceState(null, "", url);
    }

    selects.forEach(function (select) {
      select.addEventListener("change", function () { apply(); remember(); });
    });
    apply();
  }

  // Entity and checklist pages are not in the navigation, so Material marks no
  // tab: mark the tab they belong to (Browse, Checklists).
  function markTab() {
    if (document.querySelector(".md-tabs__item--active")) return;
    var path = window.location.pathname;
    var folder = /\/(practices|challenges|defects|stages|paradigms|scenarios|checklists)\/[^/]*$/.exec(path);
    if (!folder) return;
    var want = folder[1] === "checklists" ? "/checklists/index.html" : "/practices/index.html";
    Array.prototype.some.call(document.querySelectorAll(".md-tabs__link"), function (link) {
      var href = link.href.split("#")[0].split("?")[0];
      if (href.slice(-want.length) !== want) return false;
      link.parentNode.classList.add("md-tabs__item--active");
      return true;
    });
  }

  function init() {
    markTab();
    document.querySelectorAll("[data-kb-matrix-tools]").forEach(setupMatrix);
    if (typeof Tablesort !== "undefined") {
      document.querySelectorAll("table[data-kb-sortable]").forEach(function (table) {
        if (!table.hasAttribute("data-kb-sorted")) {
          table.setAttribute("data-kb-sorted", "");
          new Tablesort(table);
        }
      });
    }
    document.querySelectorAll("[data-kb-table-tools]").forEach(setup);
    // Material wraps Markdown tables in a scrolling frame; a keyboard reaches it
    // only if it is focusable (axe: scrollable-region-focusable).
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (wrap) {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table, scrollable");
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
