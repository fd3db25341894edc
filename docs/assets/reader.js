/* Source reader: outline the whole span a link landed on, and offer every row when
 * several rows cite the same words. Without this script every link still works: a
 * highlighted span opens its most specific row, and the table under the text lists all. */
(function () {
  "use strict";

  function spansOf(rowId) {
    return document.querySelectorAll(
      '.jc-reader [data-rows~="' + CSS.escape(rowId) + '"], .jc-reader [data-annotations~="' + CSS.escape(rowId) + '"]');
  }

  function focusTarget() {
    document.querySelectorAll(".jc-focus").forEach(function (el) { el.classList.remove("jc-focus"); });
    var hash = decodeURIComponent(location.hash.slice(1));
    if (hash.indexOf("q-") !== 0) return;
    spansOf(hash.slice(2)).forEach(function (el) { el.classList.add("jc-focus"); });
  }

  function closeMenu() {
    var menu = document.querySelector(".jc-menu");
    if (menu) menu.remove();
  }

  function openMenu(link, event) {
    closeMenu();
    var menu = document.createElement("div");
    menu.className = "jc-menu";
    menu.setAttribute("role", "menu");
    link.getAttribute("data-rows").split(" ").forEach(function (rowId) {
      var entry = document.getElementById("r-" + rowId);
      if (!entry) return;
      var target = entry.querySelector("td:nth-child(3) a");
      var item = document.createElement("a");
      item.href = target.getAttribute("href");
      item.textContent = entry.children[1].textContent + " " + target.textContent + ": " + entry.children[3].textContent;
      menu.appendChild(item);
    });
    document.body.appendChild(menu);
    menu.style.left = Math.min(event.pageX, window.innerWidth - menu.offsetWidth - 16) + "px";
    menu.style.top = (event.pageY + 12) + "px";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".jc-reader a.jc-cite");
    if (!link) {
      if (!(event.target.closest && event.target.closest(".jc-menu"))) closeMenu();
      return;
    }
    if (link.getAttribute("data-rows").split(" ").length > 1) {
      event.preventDefault();
      openMenu(link, event);
    }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") closeMenu(); });
  window.addEventListener("hashchange", focusTarget);
  document.addEventListener("DOMContentLoaded", focusTarget);
  if (document.readyState !== "loading") focusTarget();
})();
