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

  /* The ids ticked in this browser for one scope, on any page: a long checklist
     is split into parts (pages), each holding only its own boxes. */
  function storedTicks(scope) {
    var prefix = PREFIX + scope + ":";
    var out = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(prefix) === 0 && window.localStorage.getItem(key) === "1") out.push(key.slice(prefix.length));
      }
    } catch (e) { /* no storage: only this page's ticks are known */ }
    return out;
  }

  function resetBoxes(boxes, scope) {
    boxes.forEach(function (box) {
      box.checked = false;
      store.remove(storageKey(scope, box.getAttribute("data-rkb-item")));
    });
  }

  /* ------------------------------------------------------------ scenario pages */

  /* A page's data lives in a script beside it (the builder's,
     checklists/index.data.js), loaded when needed: the builder at start, a
     scenario page the first time a reader reaches for its toolbar (most
     visits never download). A script, not fetch(), so it also loads from
     file://. It registers itself in window.rkbChecklistData. */
  function withData(holder, scope, callback) {
    var store = window.rkbChecklistData || {};
    if (store[scope]) { if (callback) callback(store[scope]); return; }
    var waiting = holder.rkbWaiting || (holder.rkbWaiting = []);
    if (callback) waiting.push(callback);
    if (holder.rkbLoading) return;
    holder.rkbLoading = true;
    var script = document.createElement("script");
    script.src = holder.getAttribute("data-rkb-src");
    script.onload = function () {
      var data = (window.rkbChecklistData || {})[scope];
      holder.rkbWaiting = [];
      waiting.forEach(function (fn) { if (fn && data) fn(data); });
    };
    script.onerror = function () { holder.rkbLoading = false; };
    document.head.appendChild(script);
  }

  function initChecklist(holder) {
    if (holder.hasAttribute("data-rkb-ready")) return;
    holder.setAttribute("data-rkb-ready", "");
    var scope = holder.getAttribute("data-rkb-scope");
    // A scenario page's boxes name neither their scope nor their item (the page names its scope once, and
    // each item shows its id beside its box): named here, so every box reads as the builder's do.
    Array.prototype.forEach.call(document.querySelectorAll("input.rkb-box:not([data-rkb-scope])"), function (box) {
      var uid = box.parentNode.querySelector("code.rkb-uid");
      box.setAttribute("data-rkb-scope", scope);
      if (uid) box.setAttribute("data-rkb-item", uid.textContent);
    });
    var boxes = Array.prototype.filter.call(document.querySelectorAll("input.rkb-box"), function (box) {
      return box.getAttribute("data-rkb-scope") === scope;
    });
    var toolbar = Array.prototype.filter.call(document.querySelectorAll("[data-rkb-toolbar]"), function (el) {
      return el.getAttribute("data-rkb-toolbar") === scope;
    })[0];
    // A part of a split checklist: progress, reset and downloads cover every part.
    var total = parseInt(holder.getAttribute("data-rkb-total") || "0", 10);
    var split = total > boxes.length;
    var doneAll = function () {
      var done = ticked(boxes);
      if (split) storedTicks(scope).forEach(function (uid) { done[uid] = true; });
      return done;
    };
    var update = function () {
      if (!split) { showProgress(toolbar, countTicked(boxes), boxes.length); return; }
      showProgress(toolbar, Math.min(total, Object.keys(doneAll()).length), total);
    };
    bindBoxes(boxes, scope, update);
    update();
    if (!toolbar) return;
    var preload = function () { withData(holder, "builder", null); };
    toolbar.addEventListener("pointerover", preload);
    toolbar.addEventListener("focusin", preload);
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var fmt = button.getAttribute("data-rkb-download");
      var action = button.getAttribute("data-rkb-action");
      if (fmt && EXPORTS[fmt]) {
        // The builder's checklist for this scenario alone is the CLI's (tests/test_checklist_builder.py).
        withData(holder, "builder", function (index) {
          var form = {};
          FILTERS.forEach(function (name) { form[name] = ""; });
          form.scenario = scope;
          var cl = composeChecklist(index, form);
          download(cl.scope + "-checklist." + fmt, EXPORTS[fmt][1], exportText(index, cl, fmt, doneAll()));
        });
      } else if (action === "reset") {
        if (!window.confirm("Clear every tick on this checklist? This cannot be undone.")) return;
        resetBoxes(boxes, scope);
        if (split) storedTicks(scope).forEach(function (uid) { store.remove(storageKey(scope, uid)); });
        update();
      } else if (action === "print") {
        window.print();
      }
    });
  }

  /* ------------------------------------------------------------------ builder */

  // The builder's selection and exports mirror generator/checklist_select.py and
  // generator/checklist_export.py; tests run these functions (in Node and in the
  // browser) against `checklist ... --format md|csv|json` for every scenario.

  var FILTERS = ["scenario", "paradigm", "stage", "source", "target", "hardware", "tag", "precision", "model_family",
                 "trains", "reference_code", "reference_weights", "multi_device", "essential"];
  var FLAGS = ["trains", "reference_code", "reference_weights", "multi_device"];
  var LISTS = ["hardware", "precision", "model_family"];  // applicability lists matched by a shared value
  var IMPORTANCE = ["essential", "recommended", "situational"];
  var SEVERITY = ["blocker", "major", "minor"];
  var SHORT_LIST = 25;  // checklist_select.SHORT_LIST
  var PORTS_OWN_VALUES = 3;  // checklist_select.PORTS_OWN_VALUES
  var EVERY_PORTS_OWN = ["security"];  // checklist_select.EVERY_PORTS_OWN
  var MD_HEADER = "reengineering-kb checklist";
  var CUSTOM_SUMMARY = "Checklist items of the practices that match these filters, by workflow stage.";

  function has(list, value) {
    return list.indexOf(value) >= 0;
  }

  function canonical(values) {
    var out = [];
    values.forEach(function (v) { if (v && !has(out, v)) out.push(v); });
    return out.sort();
  }

  function flag(text) {
    return text === "true" ? true : text === "false" ? false : null;
  }

  /* The builder's form values (strings) as a generator.validate.selection.Query. */
  function toQuery(f) {
    return {
      scenario: f.scenario || null,
      paradigms: canonical([f.paradigm]),
      stages: canonical([f.stage]),
      source: f.source || null,
      target: f.target || null,
      hardware: canonical([f.hardware]),
      tags: canonical([f.tag]),
      importance: f.essential ? "essential" : null,
      trains: flag(f.trains),
      reference_code: flag(f.reference_code),
      reference_weights: flag(f.reference_weights),
      multi_device: flag(f.multi_device),
      precision: canonical([f.precision]),
      model_family: canonical([f.model_family])
    };
  }

  // Query.to_string: urlencode of (name, value) pairs in field order.
  function queryString(q) {
    var pairs = [];
    var multi = { paradigms: "paradigm", stages: "stage", hardware: "hardware", tags: "tag", precision: "precision",
                  model_family: "model_family" };
    ["scenario", "paradigms", "stages", "source", "target", "hardware", "tags", "importance",
     "trains", "reference_code", "reference_weights", "multi_device", "precision", "model_family"].forEach(function (name) {
      var value = q[name];
      if (multi[name]) value.forEach(function (v) { pairs.push([multi[name], v]); });
      else if (value !== null) pairs.push([name, String(value)]);
    });
    return pairs.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); }).join("&");
  }

  // Query.describe
  function describe(q) {
    var parts = [];
    [["paradigms", "paradigm"], ["stages", "stage"], ["hardware", "hardware"], ["tags", "tag"]].forEach(function (pair) {
      if (q[pair[0]].length) parts.push(pair[1] + " " + q[pair[0]].join(", "));
    });
    ["source", "target"].forEach(function (name) { if (q[name]) parts.push(name + " " + q[name]); });
    var phrases = { trains: ["training", "inference only"],
                    reference_code: ["reference code available", "no reference code"],
                    reference_weights: ["reference weights available", "no reference weights"],
                    multi_device: ["several devices", "one device"] };
    FLAGS.forEach(function (name) {
      if (q[name] !== null) parts.push(phrases[name][q[name] ? 0 : 1]);
    });
    if (q.precision.length) parts.push("precision " + q.precision.join(", "));
    if (q.model_family.length) parts.push("model family " + q.model_family.join(", "));
    return parts.join("; ");
  }

  function scenarioOf(index, id) {
    return index.scenarios.filter(function (s) { return s.id === id; })[0] || null;
  }

  // resolve: the scenario's values, each replaced by the query's where given.
  function resolveQuery(index, q) {
    var scenario = q.scenario ? scenarioOf(index, q.scenario) : null;
    var base = scenario ? scenario.selection : {
      paradigms: [], stages: [], source: null, target: null, hardware: [], tags: [], include: [], exclude: [],
      importance: null, trains: null, reference_code: null, reference_weights: null, multi_device: null, precision: [],
      model_family: [], essential: [], order: []
    };
    var either = function (name) {
      var given = q[name];
      var empty = given === null || (Array.isArray(given) && !given.length);
      return empty ? base[name] : given;
    };
    return {
      paradigms: either("paradigms"), stages: either("stages"), source: either("source"), target: either("target"),
      hardware: either("hardware"), tags: either("tags"), include: base.include, exclude: base.exclude,
      importance: q.importance, trains: either("trains"), reference_code: either("reference_code"),
      reference_weights: either("reference_weights"), multi_device: either("multi_device"),
      precision: either("precision"), model_family: either("model_family"), essential: base.essential,
      order: base.order
    };
  }

  function overlaps(a, b) {
    return a.some(function (v) { return has(b, v); });
  }

  // checklist_select.exclusion, as a yes/no answer.
  function excludes(aw, sel) {
    for (var i = 0; i < FLAGS.length; i++) {
      var wanted = aw[FLAGS[i]];
      var have = sel[FLAGS[i]];
      if (wanted !== null && have !== null && wanted !== have) return true;
    }
    if (aw.source.length && sel.source && !has(aw.source, sel.source)) return true;
    if (aw.target.length && sel.target && !has(aw.target, sel.target)) return true;
    return LISTS.some(function (key) {
      return aw[key].length > 0 && sel[key].length > 0 && !overlaps(aw[key], sel[key]);
    });
  }

  // checklist_select.situation_stated: the selection states every situation key the applicability names.
  var SITUATIONS = ["multi_device", "model_family"];
  function situationStated(aw, sel) {
    var named = false;
    for (var i = 0; i < SITUATIONS.length; i++) {
      var key = SITUATIONS[i], wanted = aw[key], have = sel[key];
      if (wanted === null || (Array.isArray(wanted) && !wanted.length)) continue;
      named = true;
      if (Array.isArray(wanted) ? !overlaps(wanted, have) : wanted !== have) return false;
    }
    return named;
  }

  // checklist_select.ports_own: the applicability is written for this kind of port, not for a broad class.
  function deviceCountStated(aw, sel) {
    return sel.multi_device !== null && aw.multi_device !== null;
  }

  function portsOwn(aw, sel) {
    if (deviceCountStated(aw, sel)) return true;
    var narrow = function (have, wanted) { return have && wanted.length > 0 && wanted.length <= PORTS_OWN_VALUES; };
    return narrow(sel.source, aw.source) || narrow(sel.target, aw.target) || narrow(sel.hardware.length, aw.hardware) ||
           narrow(sel.precision.length, aw.precision) || narrow(sel.model_family.length, aw.model_family);
  }

  // checklist_select.candidate
  function candidate(p, sel) {
    if (p.deprecated) return false;
    if (sel.paradigms.length && !overlaps(p.paradigms, sel.paradigms)) return false;
    if (sel.stages.length && !has(sel.stages, p.stage)) return false;
    return !(sel.tags.length && !overlaps(sel.tags, p.tags));
  }

  // checklist_select.select_items: [{practice, item, essential}] in checklist order.
  function selectItems(index, sel) {
    var rank = {};
    var ids = sel.order.length ? sel.order : index.stages.map(function (s) { return s.id; });
    ids.forEach(function (id, n) { rank[id] = n; });
    var rankOf = function (stage) { return stage in rank ? rank[stage] : ids.length; };
    var chosen = index.practices.filter(function (p) {
      return (candidate(p, sel) || has(sel.include, p.id)) && !has(sel.exclude, p.id) && !excludes(p.applies_when, sel);
    });
    chosen.sort(function (a, b) {
      return rankOf(a.stage) - rankOf(b.stage) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var keep = sel.importance ? IMPORTANCE.slice(0, IMPORTANCE.indexOf(sel.importance) + 1) : null;
    var applicable = [];
    chosen.forEach(function (p) {
      p.items.forEach(function (item) {
        if (!excludes(item.export.applies_when, sel)) applicable.push({ practice: p, item: item });
      });
    });
    var listed = sel.essential.length ? sel.essential : shortList(index, sel, applicable);
    var out = [];
    applicable.forEach(function (e) {
      var essential = has(listed, e.item.uid);
      if (keep && (sel.importance === "essential" ? !essential : !has(keep, e.practice.importance) && !essential)) return;
      out.push({ practice: e.practice, item: e.item, essential: essential });
    });
    return { entries: out, rank: rankOf };
  }

  // checklist_select.short_list: the essential items of a selection without an essential list of its own.
  function shortList(index, sel, applicable) {
    var named = {};
    index.scenarios.forEach(function (s) {
      s.selection.essential.forEach(function (uid) { named[uid] = (named[uid] || 0) + 1; });
    });
    var specific = function (e) {
      var aw = e.item.export.applies_when;
      return (sel.source && aw.source.length ? 1 : 0) + (sel.target && aw.target.length ? 1 : 0) +
             (sel.hardware.length && aw.hardware.length ? 1 : 0) + (sel.precision.length && aw.precision.length ? 1 : 0) +
             (sel.model_family.length && aw.model_family.length ? 1 : 0) +
             (deviceCountStated(aw, sel) ? 1 : 0);
    };
    var rank = function (n) {
      var e = applicable[n], severity = e.item.export.severity;
      var level = (severity ? SEVERITY.indexOf(severity) : SEVERITY.length) + (portsOwn(e.item.export.applies_when, sel) || overlaps(e.practice.tags, EVERY_PORTS_OWN) ? 0 : 1);
      return [level, -specific(e), IMPORTANCE.indexOf(e.practice.importance), -(named[e.item.uid] || 0), n];
    };
    var order = [];
    applicable.forEach(function (e, n) {
      var severity = e.item.export.severity;
      var situated = e.practice.importance !== "situational" || situationStated(e.item.export.applies_when, sel);
      var eligible = named[e.item.uid] || (situated &&
                     (e.practice.importance === "essential" || severity === "blocker" ||
                      (severity === "major" && specific(e) > 0)));
      if (eligible) order.push({ n: n, key: rank(n) });
    });
    order.sort(function (a, b) {
      for (var i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
      return 0;
    });
    return order.slice(0, SHORT_LIST).map(function (o) { return applicable[o.n].item.uid; });
  }

  /* The builder's data stores each fact once (builder_item in generator/render/checklists.py). Rebuilt on
     first use, in place: each item's JSON export entry (its fields and its practice's), its HTML, and its
     Markdown text and lines, each the text itself unless the data holds a form that differs. */
  function own(object, key, otherwise) {
    return object && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : otherwise;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function mdUrl(url) {
    return url.replace(/\(/g, "%28").replace(/\)/g, "%29");
  }

  function expandItem(p, it) {
    var html = it.as_html, md = it.as_md;
    var x = {
      id: it.uid, practice: p.id, item: it.uid.slice(p.id.length + 1), text: it.text, stage: p.stage,
      importance: p.importance, addresses: p.addresses, prevents: p.prevents, detects: p.detects,
      evidence: p.evidence, url: p.url, how: own(it, "how", null), done_when: own(it, "done_when", null),
      checked_with: own(it, "checked_with", null), docs: own(it, "docs", []), failures: own(it, "failures", []),
      severity: own(it, "severity", null), effort: own(it, "effort", null),
      applies_when: own(it, "applies_when", p.applies_when)
    };
    var lines = [];
    if (x.how) lines.push("How: " + own(md, "how", x.how));
    if (x.done_when) lines.push("Done when: " + own(md, "done_when", x.done_when));
    if (x.checked_with) lines.push("Checked with: " + own(md, "checked_with", x.checked_with));
    var titles = own(md, "docs", x.docs.map(function (d) { return d.title; }));
    if (x.docs.length) {
      lines.push("Docs: " + x.docs.map(function (d, n) { return "[" + titles[n] + "](" + mdUrl(d.url) + ")"; }).join("; "));
    }
    var labels = own(md, "failures", x.failures.map(failureLabel));
    if (x.failures.length) {
      lines.push("Real failures: " + x.failures.map(function (u, n) {
        return "[" + labels[n] + "](" + mdUrl(u) + ")";
      }).join(", "));
    }
    return {
      uid: it.uid, export: x,
      html: own(html, "text", escapeHtml(x.text)),
      how_html: x.how ? "<strong>How:</strong> " + own(html, "how", escapeHtml(x.how)) : "",
      done_html: x.done_when ? "<strong>Done when:</strong> " + own(html, "done_when", escapeHtml(x.done_when)) : "",
      md: own(md, "text", x.text),
      md_details: lines.map(function (line) { return "    - " + line + "\n"; }).join("")
    };
  }

  function expandIndex(index) {
    if (index.expanded) return index;
    index.practices.forEach(function (p) {
      p.items = p.items.map(function (it) { return expandItem(p, it); });
    });
    index.expanded = true;
    return index;
  }

  /* The composed checklist: what the page shows and the exports need (generator.checklist.compose). */
  function composeChecklist(index, form) {
    expandIndex(index);
    var q = toQuery(form);
    var sel = resolveQuery(index, q);
    var picked = selectItems(index, sel);
    var entries = picked.entries;
    var used = {};
    entries.forEach(function (e) { used[e.practice.stage] = true; });
    // Numbered along the scenario's path, like the CLI: "Stage 4" is the fourth step of this port.
    var stages = index.stages.filter(function (s) { return used[s.id]; }).map(function (s) {
      return Object.assign({}, s, { order: picked.rank(s.id) + 1 });
    });
    stages.sort(function (a, b) { return a.order - b.order; });
    var groups = stages.map(function (stage) {
      var practices = [];
      entries.forEach(function (e) {
        if (e.practice.stage !== stage.id) return;
        var last = practices[practices.length - 1];
        if (!last || last.practice.id !== e.practice.id) {
          last = { practice: e.practice, items: [] };
          practices.push(last);
        }
        last.items.push(e);
      });
      return { stage: stage, practices: practices };
    });
    var scenario = q.scenario ? scenarioOf(index, q.scenario) : null;
    var extra = describe(q);
    var title, mdTitle, summary, mdSummary;
    if (scenario) {
      title = extra ? scenario.title + " (" + extra + ")" : scenario.title;
      mdTitle = extra ? scenario.md_title + " (" + extra + ")" : scenario.md_title;
      summary = scenario.summary;
      mdSummary = scenario.md_summary;
    } else {
      title = mdTitle = extra ? "Custom checklist (" + extra + ")" : "Every practice";
      summary = mdSummary = CUSTOM_SUMMARY;
    }
    return { query: q, selection: sel, entries: entries, stages: stages, groups: groups, scope: q.scenario || "custom",
             title: title, mdTitle: mdTitle, summary: summary, mdSummary: mdSummary };
  }

  function counted(n, noun) {
    return n + " " + noun + (n === 1 ? "" : "s");
  }

  function facts(e) {
    var out = e.essential ? ["essential"] : [];
    if (e.item.export.severity) out.push("severity: " + e.item.export.severity);
    if (e.item.export.effort) out.push("effort: " + e.item.export.effort);
    return out;
  }

  function toMarkdown(index, cl, done) {
    var query = queryString(cl.query);
    var kb = index.kb;
    var out = "<!-- " + MD_HEADER + " | query: " + query + " | kb: " + kb.version + " | commit: " + kb.commit + " -->\n" +
      "## Checklist: " + cl.mdTitle + "\n\n" + cl.mdSummary + "\n\n" +
      counted(cl.entries.length, "item") + " in " + counted(cl.stages.length, "stage") + ", from " + index.md.kb_link +
      " " + kb.version + " (commit `" + kb.commit.slice(0, 12) + "`), query `" + (query || "all practices") + "`.\n";
    if (!cl.entries.length) out += "\n_No practice matches this query._\n";
    cl.groups.forEach(function (group) {
      out += "\n### Stage " + group.stage.order + ": " + group.stage.md_title + "\n\n";
      group.practices.forEach(function (g) {
        out += g.practice.md_line;
        g.items.forEach(function (e) {
          out += "  - [" + (done[e.item.uid] ? "x" : " ") + "] " + e.item.md + " <!-- item: " + e.item.uid + " -->\n";
          out += e.item.md_details;
          var f = facts(e).join("; ");
          if (f) out += "    - " + f.charAt(0).toUpperCase() + f.slice(1).toLowerCase() + ".\n";
        });
      });
    });
    return out;
  }

  var CSV_COLUMNS = ["id", "stage", "practice", "item", "status", "essential", "severity", "effort", "how",
                     "done_when", "checked_with", "docs", "failures", "importance", "guards_against", "evidence",
                     "rationale", "url", "query"];

  // A cell starting with one of the CLI's formula signs (generator.markup.FORMULA_STARTS, carried in
  // the data: ASCII, full-width and small-form signs, the minus sign) gets a quote, as the CLI's does.
  function formulaPattern(starts) {
    return new RegExp("^'*[" + starts.replace(/[\\\]^-]/g, "\\$&") + "]");
  }

  function csvCell(value, formula) {
    var cell = formula.test(value) ? "'" + value : value;
    return /[,"\r\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  function guards(index, exp) {
    var names = [];
    exp.addresses.concat(exp.prevents, exp.detects).forEach(function (id) {
      var name = index.entities[id] ? index.entities[id].title : id;
      if (!has(names, name)) names.push(name);
    });
    return names;
  }

  function toCsv(index, cl, done) {
    var query = queryString(cl.query);
    var stages = {};
    index.stages.forEach(function (s) { stages[s.id] = s.raw_title; });
    var formula = formulaPattern(index.formula_starts);
    var out = "\ufeff" + CSV_COLUMNS.join(",") + "\r\n";
    cl.entries.forEach(function (e) {
      var x = e.item.export;
      var row = {
        id: x.id, stage: stages[x.stage], practice: e.practice.raw_title, item: x.text,
        status: done[x.id] ? "done" : "open", essential: e.essential ? "yes" : "no", severity: x.severity || "",
        effort: x.effort || "", how: x.how || "", done_when: x.done_when || "", checked_with: x.checked_with || "",
        docs: x.docs.map(function (d) { return d.title + " <" + d.url + ">"; }).join("; "),
        failures: x.failures.join("; "), importance: x.importance, guards_against: guards(index, x).join("; "),
        evidence: x.evidence.join("; "), rationale: e.practice.rationale, url: x.url, query: query
      };
      out += CSV_COLUMNS.map(function (c) { return c === "status" ? row[c] : csvCell(row[c], formula); }).join(",") + "\r\n";
    });
    return out;
  }

  function sortedKeys(value) {
    if (Array.isArray(value)) return value.map(sortedKeys);
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).sort().forEach(function (k) { out[k] = sortedKeys(value[k]); });
      return out;
    }
    return value;
  }

  function toJson(index, cl, done) {
    var referenced = {};
    var cites = {};
    cl.stages.forEach(function (s) { referenced[s.id] = true; });
    cl.entries.forEach(function (e) {
      var x = e.item.export;
      referenced[e.practice.id] = true;
      x.addresses.concat(x.prevents, x.detects).forEach(function (id) { referenced[id] = true; });
      x.evidence.forEach(function (k) { cites[k] = true; });
    });
    var entities = {};
    Object.keys(referenced).sort().forEach(function (id) { if (index.entities[id]) entities[id] = index.entities[id]; });
    var references = {};
    Object.keys(cites).sort().forEach(function (k) { references[k] = index.references[k]; });
    var data = {
      format: "reengineering-kb/checklist", format_version: 3, title: cl.title, summary: cl.summary, scope: cl.scope,
      kb: index.kb, query: cl.query, query_string: queryString(cl.query), selection: cl.selection,
      stages: cl.stages.map(function (s) { return { id: s.id, title: s.raw_title, order: s.order }; }),
      items: cl.entries.map(function (e) {
        var item = Object.assign({}, e.item.export);
        item.status = done[e.item.uid] ? "done" : "open";
        item.essential = e.essential;
        return item;
      }),
      entities: entities, references: references
    };
    return JSON.stringify(sortedKeys(data), null, 2).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029") + "\n";
  }

  var EXPORTS = { md: [toMarkdown, "text/markdown"], csv: [toCsv, "text/csv"], json: [toJson, "application/json"] };

  function exportText(index, cl, fmt, done) {
    return EXPORTS[fmt][0](index, cl, done || {});
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {
      composeChecklist: composeChecklist, expandIndex: expandIndex, exportText: exportText, queryString: queryString
    };
  }
  if (typeof document === "undefined") return;

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function command(f) {
    var words = ["python -m generator checklist"];
    if (f.scenario) words.push(f.scenario);
    ["paradigm", "stage", "source", "target", "hardware", "tag", "precision", "model_family"].forEach(function (name) {
      if (f[name]) words.push("--" + name.replace("_", "-") + " " + f[name]);
    });
    var flags = { trains: ["--trains", "--inference-only"], reference_code: ["--reference-code", "--no-reference-code"],
                  reference_weights: ["--reference-weights", "--no-reference-weights"],
                  multi_device: ["--multi-device", "--single-device"] };
    FLAGS.forEach(function (name) { if (f[name]) words.push(flags[name][f[name] === "true" ? 0 : 1]); });
    if (f.essential) words.push("--essential");
    words.push("--format md");
    return words.join(" ");
  }

  function appendLinks(parent, label, links, separator) {
    var p = element("p", "rkb-" + label.toLowerCase().replace(/ /g, "-"), label + ": ");
    links.forEach(function (link, n) {
      var a = element("a", "", link[0]);
      a.href = link[1]; // http(s) only: checked by the schema at build time
      p.appendChild(a);
      if (n < links.length - 1) p.appendChild(document.createTextNode(separator));
    });
    parent.appendChild(p);
  }

  function failureLabel(url) {
    var m = /^https?:\/\/github\.com\/([^/]+\/[^/]+)\/(?:issues|pull)\/(\d+)/.exec(url);
    return m ? m[1] + "#" + m[2] : url.replace(/^https?:\/\/(?:www\.)?/, "").replace(/\/+$/, "");
  }

  function renderResult(root, index, cl) {
    var result = root.querySelector(".rkb-builder__result");
    result.textContent = "";
    var n = 0;
    cl.groups.forEach(function (group) {
      result.appendChild(element("h3", "rkb-stage__title", "Stage " + group.stage.order + ": " + group.stage.title));
      group.practices.forEach(function (g) {
        var section = element("section", "rkb-practice");
        var title = element("h4", "rkb-practice__title");
        var link = element("a", "", g.practice.title);
        link.href = g.practice.href;
        title.appendChild(link);
        title.appendChild(document.createTextNode(" "));
        var importance = g.practice.importance;
        title.appendChild(element("span", "rkb-importance rkb-importance--" + importance, importance));
        section.appendChild(title);
        var list = element("ul", "rkb-items");
        g.items.forEach(function (e) {
          n += 1;
          var x = e.item.export;
          var li = element("li", "rkb-item" + (e.essential ? " rkb-item--essential" : ""));
          var box = element("input", "rkb-box");
          box.type = "checkbox";
          box.id = "rkb-builder-" + n;
          box.setAttribute("data-rkb-scope", "builder");
          box.setAttribute("data-rkb-item", e.item.uid);
          var label = element("label");
          label.htmlFor = box.id;
          label.innerHTML = e.item.html; // sanitised at build time (markdown-it, no raw HTML)
          li.appendChild(box);
          li.appendChild(label);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(element("code", "rkb-uid", e.item.uid));
          var f = facts(e);
          if (f.length) {
            var chips = element("span", "rkb-facts");
            f.forEach(function (fact) {
              var strong = fact === "essential" || fact === "severity: blocker";
              chips.appendChild(element("span", "rkb-fact" + (strong ? " rkb-fact--strong" : ""), fact));
            });
            li.appendChild(chips);
          }
          var details = element("div", "rkb-details");
          if (e.item.how_html) { var how = element("p", "rkb-how"); how.innerHTML = e.item.how_html; details.appendChild(how); }
          if (e.item.done_html) { var dw = element("p", "rkb-done-when"); dw.innerHTML = e.item.done_html; details.appendChild(dw); }
          if (x.checked_with) details.appendChild(element("p", "rkb-checked-with", "Checked with: " + x.checked_with));
          if (x.docs.length) appendLinks(details, "Docs", x.docs.map(function (d) { return [d.title, d.url]; }), "; ");
          if (x.failures.length) {
            appendLinks(details, "Real failures", x.failures.map(function (u) { return [failureLabel(u), u]; }), ", ");
          }
          if (details.childNodes.length) li.appendChild(details);
          list.appendChild(li);
        });
        section.appendChild(list);
        result.appendChild(section);
      });
    });
    if (!cl.groups.length) result.appendChild(element("p", "rkb-empty", "No practice matches these filters."));
    return Array.prototype.slice.call(result.querySelectorAll("input.rkb-box"));
  }

  function readForm(form) {
    var f = {};
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      f[name] = !field ? "" : field.type === "checkbox" ? (field.checked ? "1" : "") : field.value;
    });
    return f;
  }

  // "#build-your-own" names a heading; "#stage=...&trains=false" holds filters.
  function isAnchor(hash) {
    var text = hash.replace(/^#/, "");
    return text !== "" && text.indexOf("=") < 0;
  }

  function readHash(form) {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    FILTERS.forEach(function (name) {
      var value = params.get(name) || "";
      var field = form.elements[name];
      if (!field) return;
      if (field.type === "checkbox") field.checked = value === "1";
      else if (Array.prototype.some.call(field.options, function (o) { return o.value === value; })) field.value = value;
      else field.value = "";
    });
  }

  /* The builder's data (checklists/index.data.js) grows with the KB, so the
     page does not inline it: it is loaded here, and the builder starts when
     it arrives (data-rkb-ready is set then). */
  function initBuilder(root) {
    if (root.hasAttribute("data-rkb-loading")) return;
    root.setAttribute("data-rkb-loading", "");
    var holder = root.querySelector(".rkb-index");
    withData(holder, "builder", function (index) { startBuilder(root, index); });
  }

  function startBuilder(root, index) {
    if (root.hasAttribute("data-rkb-ready")) return;
    root.setAttribute("data-rkb-ready", "");
    var form = root.querySelector("form");
    var toolbar = root.querySelector(".rkb-toolbar");
    var boxes = [];
    var current = null;
    var update = function () { showProgress(toolbar, countTicked(boxes), boxes.length); };

    function refresh(fromUser) {
      var f = readForm(form);
      current = composeChecklist(index, f);
      boxes = renderResult(root, index, current);
      bindBoxes(boxes, "builder", update);
      update();
      root.querySelector(".rkb-builder__command").textContent = command(f);
      root.setAttribute("data-rkb-count", String(boxes.length));
      if (fromUser) {
        var params = new URLSearchParams();
        FILTERS.forEach(function (name) { if (f[name]) params.set(name, f[name]); });
        var hash = params.toString();
        window.history.replaceState(window.history.state, "", hash ? "#" + hash : window.location.pathname + window.location.search);
      }
    }

    form.addEventListener("change", function () { refresh(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var fmt = button.getAttribute("data-rkb-download");
      var action = button.getAttribute("data-rkb-action");
      if (fmt && EXPORTS[fmt]) {
        download(current.scope + "-checklist." + fmt, EXPORTS[fmt][1], exportText(index, current, fmt, ticked(boxes)));
      } else if (action === "reset") {
        if (!window.confirm("Clear every tick on this checklist? This cannot be undone.")) return;
        resetBoxes(boxes, "builder");
        update();
      } else if (action === "print") {
        window.print();
      }
    });
    readHash(form);
    refresh(false);
    // A shared link or the back button changes the hash: follow it (while this page is shown).
    // A jump to a heading (the table of contents' "#build-your-own") is not a
    // filter change: the filters stay as they are.
    window.addEventListener("hashchange", function () {
      if (!root.isConnected) return;
      if (isAnchor(window.location.hash)) return;
      readHash(form);
      refresh(false);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".rkb-data[data-rkb-src]"), initChecklist);
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
