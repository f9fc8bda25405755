/*
 * Interactive checklists (checklists/*.html): ticks kept in this browser's
 * localStorage (one key per scenario and item id), a progress bar, "reset",
 * downloads rebuilt from the templates the CLI fills (so they match
 * `checklist SCENARIO --format md|csv|json` byte for byte), and the builder,
 * which composes checklists live from the index embedded in its page.
 *
 * Works with Material's instant navigation (document$) and without it. Page
 * data sits in data-rkb-json attributes: instant navigation re-runs every
 * <script> of a new page as JavaScript, JSON ones included.
 * No external requests; entry text is only ever inserted as text, except
 * item HTML that the build already sanitised.
 */
(function () {
  "use strict";

  var PREFIX = "reengineering-kb:checklist:";
  var TOKENS = { md: [" ", "x"], csv: ["open", "done"], json: ['"open"', '"done"'] };

  function storageKey(scope, uid) {
    return PREFIX + scope + ":" + uid;
  }

  // localStorage can be missing or full (private windows): ticks then last for the page view only.
  var store = {
    get: function (key) {
      try { return window.localStorage.getItem(key); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, value); } catch (e) { /* keep going */ }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* keep going */ }
    }
  };

  function fill(parts, fmt, done) {
    var tokens = TOKENS[fmt];
    var out = "";
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      out += typeof part === "string" ? part : (done[part.slot] ? tokens[1] : tokens[0]);
    }
    return out;
  }

  function download(name, mime, text) {
    var url = URL.createObjectURL(new Blob([text], { type: mime + ";charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function showProgress(toolbar, done, total) {
    if (!toolbar) return;
    var bar = toolbar.querySelector(".rkb-progress__bar");
    var text = toolbar.querySelector(".rkb-progress__text");
    var percent = total ? Math.floor((100 * done) / total) : 0;
    if (bar) {
      bar.max = Math.max(total, 1);
      bar.value = done;
      bar.setAttribute("aria-valuetext", done + " of " + total + " done");
    }
    if (text) text.textContent = done + " of " + total + " done (" + percent + "%)";
  }

  /* Wire checkboxes of one scope to storage; returns a function listing the ticked ids. */
  function bindBoxes(boxes, scope, onChange) {
    boxes.forEach(function (box) {
      var key = storageKey(scope, box.getAttribute("data-rkb-item"));
      box.checked = store.get(key) === "1";
      box.addEventListener("change", function () {
        if (box.checked) store.set(key, "1");
        else store.remove(key);
        onChange();
      });
    });
  }

  function ticked(boxes) {
    var done = {};
    boxes.forEach(function (box) {
      if (box.checked) done[box.getAttribute("data-rkb-item")] = true;
    });
    return done;
  }

  function countTicked(boxes) {
    return boxes.filter(function (box) { return box.checked; }).length;
  }

  function resetBoxes(boxes, scope) {
    boxes.forEach(function (box) {
      box.checked = false;
      store.remove(storageKey(scope, box.getAttribute("data-rkb-item")));
    });
  }

  /* ------------------------------------------------------------ scenario pages */

  function initChecklist(holder) {
    if (holder.hasAttribute("data-rkb-ready")) return;
    holder.setAttribute("data-rkb-ready", "");
    var data = JSON.parse(holder.getAttribute("data-rkb-json"));
    var scope = data.scope;
    var boxes = Array.prototype.filter.call(document.querySelectorAll("input.rkb-box"), function (box) {
      return box.getAttribute("data-rkb-scope") === scope;
    });
    var toolbar = Array.prototype.filter.call(document.querySelectorAll("[data-rkb-toolbar]"), function (el) {
      return el.getAttribute("data-rkb-toolbar") === scope;
    })[0];
    var update = function () { showProgress(toolbar, countTicked(boxes), boxes.length); };
    bindBoxes(boxes, scope, update);
    update();
    if (!toolbar) return;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var fmt = button.getAttribute("data-rkb-download");
      var action = button.getAttribute("data-rkb-action");
      if (fmt && data.files[fmt]) {
        var file = data.files[fmt];
        download(file.name, file.mime, fill(file.parts, fmt, ticked(boxes)));
      } else if (action === "reset") {
        resetBoxes(boxes, scope);
        update();
      } else if (action === "print") {
        window.print();
      }
    });
  }

  /* ------------------------------------------------------------------ builder */

  var FILTERS = ["paradigm", "stage", "source", "target", "hardware", "tag"];

  function has(list, value) {
    return list.indexOf(value) >= 0;
  }

  // Mirrors generator.checklist.compose.applies (a browser test compares the two).
  function applies(practice, q) {
    if (practice.deprecated) return false;
    if (q.paradigm && !has(practice.paradigms, q.paradigm)) return false;
    if (q.stage && practice.stage !== q.stage) return false;
    var frameworks = [q.source, q.target].filter(Boolean);
    if (frameworks.length && practice.frameworks.length &&
        !frameworks.some(function (f) { return has(practice.frameworks, f); })) return false;
    if (q.hardware && practice.hardware.length && !has(practice.hardware, q.hardware)) return false;
    return !(q.tag && !has(practice.tags, q.tag));
  }

  // Mirrors generator.checklist.compose.compose: stage order, then practice id, then item order; same text once.
  function compose(index, q) {
    var rank = {};
    index.stages.forEach(function (stage, n) { rank[stage.id] = n; });
    var rankOf = function (p) { return p.stage in rank ? rank[p.stage] : index.stages.length; };
    var chosen = index.practices.filter(function (p) { return applies(p, q); });
    chosen.sort(function (a, b) {
      return rankOf(a) - rankOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var seen = {};
    var groups = [];
    chosen.forEach(function (practice) {
      var items = practice.items.filter(function (item) {
        if (Object.prototype.hasOwnProperty.call(seen, item.key)) return false;
        seen[item.key] = true;
        return true;
      });
      if (!items.length) return;
      var last = groups[groups.length - 1];
      if (!last || last.stage !== practice.stage) {
        last = { stage: practice.stage, practices: [] };
        groups.push(last);
      }
      last.practices.push({ practice: practice, items: items });
    });
    return groups;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function command(q) {
    var words = ["python -m generator checklist"];
    var flags = { paradigm: "--paradigm", stage: "--stage", source: "--source", target: "--target",
                  hardware: "--hardware", tag: "--tag" };
    FILTERS.forEach(function (name) { if (q[name]) words.push(flags[name] + " " + q[name]); });
    words.push("--format md");
    return words.join(" ");
  }

  function renderResult(root, index, groups) {
    var result = root.querySelector(".rkb-builder__result");
    var stages = {};
    index.stages.forEach(function (stage) { stages[stage.id] = stage; });
    result.textContent = "";
    var n = 0;
    groups.forEach(function (group) {
      var stage = stages[group.stage] || { title: group.stage, order: "?" };
      result.appendChild(element("h3", "rkb-stage__title", "Stage " + stage.order + ": " + stage.title));
      group.practices.forEach(function (entry) {
        var section = element("section", "rkb-practice");
        var title = element("h4", "rkb-practice__title");
        var link = element("a", "", entry.practice.title);
        link.href = entry.practice.href;
        title.appendChild(link);
        title.appendChild(document.createTextNode(" "));
        var importance = entry.practice.importance;
        title.appendChild(element("span", "rkb-importance rkb-importance--" + importance, importance));
        section.appendChild(title);
        var list = element("ul", "rkb-items");
        entry.items.forEach(function (item) {
          n += 1;
          var li = element("li", "rkb-item");
          var box = element("input", "rkb-box");
          box.type = "checkbox";
          box.id = "rkb-builder-" + n;
          box.setAttribute("data-rkb-scope", "builder");
          box.setAttribute("data-rkb-item", item.uid);
          var label = element("label");
          label.htmlFor = box.id;
          label.innerHTML = item.html; // sanitised at build time (markdown-it, no raw HTML)
          li.appendChild(box);
          li.appendChild(label);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(element("code", "rkb-uid", item.uid));
          list.appendChild(li);
        });
        section.appendChild(list);
        result.appendChild(section);
      });
    });
    if (!groups.length) result.appendChild(element("p", "rkb-empty", "No practice matches these filters."));
    return Array.prototype.slice.call(result.querySelectorAll("input.rkb-box"));
  }

  function readHash(form) {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    FILTERS.forEach(function (name) {
      var value = params.get(name) || "";
      var select = form.elements[name];
      if (select && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.value = value;
      }
    });
  }

  function initBuilder(root) {
    if (root.hasAttribute("data-rkb-ready")) return;
    root.setAttribute("data-rkb-ready", "");
    var index = JSON.parse(root.querySelector(".rkb-index").getAttribute("data-rkb-json"));
    var form = root.querySelector("form");
    var toolbar = root.querySelector(".rkb-toolbar");
    var boxes = [];
    var update = function () { showProgress(toolbar, countTicked(boxes), boxes.length); };

    function refresh(fromUser) {
      var q = {};
      FILTERS.forEach(function (name) { q[name] = form.elements[name].value; });
      boxes = renderResult(root, index, compose(index, q));
      bindBoxes(boxes, "builder", update);
      update();
      root.querySelector(".rkb-builder__command").textContent = command(q);
      root.setAttribute("data-rkb-count", String(boxes.length));
      if (fromUser) {
        var params = new URLSearchParams();
        FILTERS.forEach(function (name) { if (q[name]) params.set(name, q[name]); });
        var hash = params.toString();
        window.history.replaceState(window.history.state, "", hash ? "#" + hash : window.location.pathname + window.location.search);
      }
    }

    form.addEventListener("change", function () { refresh(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.getAttribute("data-rkb-action") === "reset") {
        resetBoxes(boxes, "builder");
        update();
      } else if (button.getAttribute("data-rkb-action") === "print") {
        window.print();
      }
    });
    readHash(form);
    refresh(false);
    // A shared link or the back button changes the hash: follow it (while this page is shown).
    window.addEventListener("hashchange", function () {
      if (!root.isConnected) return;
      readHash(form);
      refresh(false);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".rkb-data[data-rkb-json]"), initChecklist);
    Array.prototype.forEach.call(document.querySelectorAll("[data-rkb-builder]"), initBuilder);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
