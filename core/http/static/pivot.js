/* Troika pivot view: a header's "split by" menu.
 *
 * Without this script a header of the deepest level links to the toolbar's
 * "Split the rows/columns by" menu (every header of a level splits
 * together). With it, opening the header shows that menu's links in place,
 * and only one header menu is open at a time.
 */
(function () {
  "use strict";

  document.querySelectorAll(".o-pivot").forEach(function (pivot) {
    pivot.addEventListener("toggle", function (event) {
      var details = event.target;
      if (!details.classList || !details.classList.contains("o-pivot-expand") || !details.open) { return; }
      pivot.querySelectorAll("details.o-pivot-expand[open]").forEach(function (other) {
        if (other !== details) { other.open = false; }
      });
      var menu = details.querySelector(".o-dropdown-menu");
      var source = pivot.querySelector('.o-pivot-options[data-axis="' + details.getAttribute("data-axis") + '"]');
      if (menu && source && !menu.getAttribute("data-filled")) {
        menu.innerHTML = source.innerHTML;
        menu.setAttribute("data-filled", "1");
      }
    }, true);
  });
}());
