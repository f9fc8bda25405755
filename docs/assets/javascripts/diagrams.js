/* Diagrams on any screen: every inline Graphviz diagram gets zoom buttons and a
   full-screen view. On a narrow screen a diagram keeps its drawn size (labels
   about 15 px, nodes about 48 px high) and pans inside its own frame instead of
   shrinking to the page width (kb.css); the buttons scale it and open it over
   the whole screen. Without JavaScript the diagram still pans in its frame. */
(function () {
  "use strict";

  var STEP = 1.25;
  var MIN = 0.4;
  var MAX = 3;

  function button(label, text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "kb-diagram__button";
    b.setAttribute("aria-label", label);
    b.title = label;
    b.textContent = text;
    b.setAttribute("data-kb-diagram", action);
    return b;
  }

  function setup(figure) {
    var svg = figure.querySelector("svg.kb-graph");
    if (!svg || figure.querySelector(".kb-diagram__tools")) return;
    var width = parseFloat(svg.getAttribute("width"));
    var height = parseFloat(svg.getAttribute("height"));
    if (!width || !height) return;
    var scale = 1;
    var frame = document.createElement("div");
    frame.className = "kb-diagram__frame";
    frame.tabIndex = 0;
    frame.setAttribute("role", "region");
    frame.setAttribute("aria-label", (svg.getAttribute("aria-label") || "Diagram") + ", scrollable");
    svg.parentNode.insertBefore(frame, svg);
    frame.appendChild(svg);
    var tools = document.createElement("div");
    tools.className = "kb-diagram__tools";
    var full = button("Full screen", "Full screen", "full");
    full.setAttribute("aria-pressed", "false");
    tools.appendChild(button("Zoom out", "\u2212", "out"));
    tools.appendChild(button("1:1 (actual size)", "1:1", "reset"));
    tools.appendChild(button("Zoom in", "+", "in"));
    tools.appendChild(full);
    figure.insertBefore(tools, frame);

    function apply() {
      svg.style.width = Math.round(width * scale) + "px";
      svg.style.height = Math.round(height * scale) + "px";
      svg.style.maxWidth = "none";
    }

    function close() {
      figure.classList.remove("kb-diagram--full");
      document.documentElement.classList.remove("kb-noscroll");
      full.setAttribute("aria-pressed", "false");
      full.textContent = "Full screen";
      full.setAttribute("aria-label", "Full screen");
    }

    tools.addEventListener("click", function (event) {
      var target = event.target.closest("button[data-kb-diagram]");
      if (!target) return;
      var action = target.getAttribute("data-kb-diagram");
      if (action === "in") scale = Math.min(MAX, scale * STEP);
      if (action === "out") scale = Math.max(MIN, scale / STEP);
      if (action === "reset") scale = 1;
      if (action === "full") {
        if (figure.classList.contains("kb-diagram--full")) {
          close();
        } else {
          figure.classList.add("kb-diagram--full");
          document.documentElement.classList.add("kb-noscroll");
          full.setAttribute("aria-pressed", "true");
          full.textContent = "Close full screen";
          full.setAttribute("aria-label", "Close full screen");
          full.focus();
        }
        if (scale === 1 && action === "full") apply();
        return;
      }
      apply();
    });
    figure.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && figure.classList.contains("kb-diagram--full")) {
        close();
        full.focus();
      }
    });
  }

  function init() {
    document.querySelectorAll("figure.kb-diagram").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
