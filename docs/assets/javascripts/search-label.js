// Give the theme's search dialog an accessible name (axe rule aria-dialog-name).
// Material's partial has role="dialog" without a name. Setting the attribute
// here, instead of overriding the theme's search partial with a copy, keeps
// working across theme upgrades and other engines; where the dialog already
// has a name, or there is no such dialog, it does nothing.
(function () {
  "use strict";
  function nameSearchDialogs() {
    var dialogs = document.querySelectorAll('[role="dialog"][data-md-component="search"]');
    Array.prototype.forEach.call(dialogs, function (dialog) {
      if (!dialog.hasAttribute("aria-label") && !dialog.hasAttribute("aria-labelledby")) {
        var input = dialog.querySelector('input[name="query"]');
        dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
      }
    });
  }
  nameSearchDialogs();
  // Instant navigation swaps the page without reloading scripts.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(nameSearchDialogs);
  }
})();
