/* Source reader: outline the whole span a link landed on, and offer every row when
 * several rows cite the same words. Without this script every link still works: a
 * highlighted span opens its most specific row, and the table under the text lists all.
 *
 * The menu follows the menu-button pattern: it opens next to its span (placed from the
 * span's box, so a keyboard click opens it in the same place as a mouse click), takes
 * the focus, moves with the arrow keys, Home and End, closes with Escape or Tab and gives
 * the focus back to its span. */
(function () {
  "use strict";

  var MARGIN = 8;

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

  function rowsOf(link) {
    return link.getAttribute("data-rows").split(" ");
  }

  function menuSpans() {
    return document.querySelectorAll('.jc-reader a.jc-cite[data-rows*=" "]');
  }

  var open = null;  // {menu, link}

  function closeMenu(returnFocus) {
    if (!open) return;
    var current = open;
    open = null;
    current.menu.remove();
    current.link.setAttribute("aria-expanded", "false");
    current.link.removeAttribute("aria-controls");
    if (returnFocus) current.link.focus();
  }

  /* One item per row: the row index under the text already holds its kind, ID and label
   * (with the label's Chinese tagged), so the item is built from that row's cells. */
  function menuItem(rowId) {
    var entry = document.getElementById("r-" + rowId);
    if (!entry) return null;
    var target = entry.querySelector("td:nth-child(3) a");
    var item = document.createElement("a");
    item.href = target.getAttribute("href");
    item.setAttribute("role", "menuitem");
    item.tabIndex = -1;
    var kind = document.createElement("span");
    kind.className = "jc-menu-kind";
    kind.textContent = entry.children[1].textContent + " " + target.textContent;
    item.appendChild(kind);
    item.appendChild(document.createTextNode(" "));
    entry.children[3].childNodes.forEach(function (node) { item.appendChild(node.cloneNode(true)); });
    return item;
  }

  /* After the rows, one item per row to report a problem with it (the row index's last cell). */
  function reportItem(rowId) {
    var entry = document.getElementById("r-" + rowId);
    var report = entry && entry.querySelector("a.jc-report");
    if (!report) return null;
    var item = document.createElement("a");
    item.href = report.getAttribute("href");
    item.className = "jc-report";
    item.setAttribute("role", "menuitem");
    item.tabIndex = -1;
    item.textContent = "report a problem with " + rowId;
    return item;
  }

  function place(menu, link) {
    var boxes = link.getClientRects();
    var box = boxes[boxes.length - 1] || link.getBoundingClientRect();
    var width = Math.min(menu.offsetWidth, document.documentElement.clientWidth - 2 * MARGIN);
    menu.style.width = width + "px";
    var left = Math.max(MARGIN, Math.min(box.left, document.documentElement.clientWidth - width - MARGIN));
    var origin = menu.offsetParent ? menu.offsetParent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    menu.style.left = (left - origin.left) + "px";
    menu.style.top = (box.bottom - origin.top + 4) + "px";
  }

  function openMenu(link) {
    closeMenu(false);
    var menu = document.createElement("span");
    menu.className = "jc-menu";
    menu.id = "jc-menu";
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", "Rows citing these words");
    rowsOf(link).forEach(function (rowId) {
      var item = menuItem(rowId);
      if (item) menu.appendChild(item);
    });
    rowsOf(link).forEach(function (rowId) {
      var item = reportItem(rowId);
      if (item) menu.appendChild(item);
    });
    link.after(menu);  // right after its words, in reading order
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", menu.id);
    open = { menu: menu, link: link };
    place(menu, link);
    focusItem(0);
  }

  function items() {
    return open ? Array.prototype.slice.call(open.menu.querySelectorAll('[role="menuitem"]')) : [];
  }

  function focusItem(index) {
    var all = items();
    if (!all.length) return;
    all[(index + all.length) % all.length].focus();
  }

  function onMenuKey(event) {
    var all = items();
    var index = all.indexOf(document.activeElement);
    switch (event.key) {
      case "ArrowDown": focusItem(index + 1); break;
      case "ArrowUp": focusItem(index - 1); break;
      case "Home": focusItem(0); break;
      case "End": focusItem(all.length - 1); break;
      case "Escape": closeMenu(true); break;
      case "Tab": closeMenu(true); return;  // the browser then moves on from the span
      case " ": if (index >= 0) all[index].click(); break;
      default: return;
    }
    event.preventDefault();
  }

  function setUp() {
    menuSpans().forEach(function (link) {
      link.setAttribute("aria-haspopup", "menu");
      link.setAttribute("aria-expanded", "false");
    });
    focusTarget();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".jc-reader a.jc-cite");
    if (open && open.menu.contains(event.target)) return;  // an item: follow it
    if (!link || rowsOf(link).length < 2) {
      closeMenu(false);
      return;
    }
    event.preventDefault();
    if (open && open.link === link) closeMenu(true);
    else openMenu(link);
  });
  document.addEventListener("keydown", function (event) {
    if (open && open.menu.contains(document.activeElement)) onMenuKey(event);
    else if (open && event.key === "Escape") closeMenu(true);
    else if (event.key === "ArrowDown" && event.target.matches && event.target.matches('.jc-reader a.jc-cite[aria-haspopup]')) {
      event.preventDefault();
      openMenu(event.target);
    }
  });
  window.addEventListener("resize", function () { if (open) place(open.menu, open.link); });
  window.addEventListener("hashchange", focusTarget);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
