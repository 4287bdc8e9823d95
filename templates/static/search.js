// The search page: Pagefind's interface, started with the query the header's search box sent
// (?q=...). Loaded by the search page only, from the site itself; without JavaScript, the page's
// <noscript> says that searching needs it.
"use strict";
(function () {
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") {
    return;
  }
  var address = new URL(window.location.href);
  var ui = new window.PagefindUI({
    element: root,
    bundlePath: root.dataset.bundle,
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    autofocus: !address.searchParams.get("q"),
    translations: { placeholder: root.dataset.placeholder },
    // Keep the query in the address, so that going back to this page shows the same results.
    processTerm: function (term) {
      if (term) {
        address.searchParams.set("q", term);
      } else {
        address.searchParams.delete("q");
      }
      window.history.replaceState(null, "", address.pathname + address.search);
      return term;
    },
  });
  // Pagefind's box has only a placeholder and a title: the page's heading names it, visibly.
  var box = root.querySelector("input");
  if (box) {
    box.setAttribute("aria-labelledby", "search-title");
  }
  var query = address.searchParams.get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
