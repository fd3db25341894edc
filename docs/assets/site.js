/* Every page: keyboard access to tables that scroll sideways, and readable Chinese in
 * the search results. */
(function () {
  "use strict";

  /* A table wider than the screen scrolls inside its wrapper; a keyboard user can only
   * scroll what can take the focus, so such a wrapper becomes a focusable, named region. */
  function headingBefore(el) {
    var found = null;
    document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3").forEach(function (heading) {
      if (heading.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) found = heading;
    });
    return found ? found.textContent.replace(/[¶#]\s*$/, "").trim() : "Page";
  }

  function focusableScrollers() {
    var count = 0;
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset table").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        count += 1;
        el.tabIndex = 0;
        el.setAttribute("role", "region");  // named after its section, unique on the page
        el.setAttribute("aria-label", headingBefore(el) + ": table " + count + ", scrolls sideways");
      } else if (!scrolls && el.getAttribute("role") === "region") {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    });
  }

  /* The search index stores Chinese words separated by plain spaces (the search splits
   * on them); in a result, a space next to a Chinese character is dropped again unless
   * Latin letters stand on its other side, and each run of Chinese is tagged. */
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var CHINESE = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u201c\u201d\u2018\u2019]+/g;
  var LATIN = /[A-Za-z]/;

  function tidyResult(article) {
    if (article.hasAttribute("data-jc-tidy")) return;
    article.setAttribute("data-jc-tidy", "");
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var text = nodes.map(function (node) { return node.data; }).join("");
    var keep = [];
    for (var i = 0; i < text.length; i++) {
      var drop = false;
      if (text[i] === " ") {
        var before = text[i - 1] || "", after = text[i + 1] || "";
        drop = (HAN.test(before) && after !== " " && !LATIN.test(after)) ||
               (HAN.test(after) && before !== " " && !LATIN.test(before));
      }
      keep.push(!drop);
    }
    var offset = 0;
    nodes.forEach(function (node) {
      var data = node.data, kept = "";
      for (var j = 0; j < data.length; j++) if (keep[offset + j]) kept += data[j];
      offset += data.length;
      if (kept !== data) node.data = kept;
      if (!HAN.test(kept) || (node.parentElement && node.parentElement.closest("[lang^=zh]"))) return;
      var fragment = document.createDocumentFragment(), last = 0;
      kept.replace(CHINESE, function (run, at) {
        fragment.appendChild(document.createTextNode(kept.slice(last, at)));
        var span = document.createElement("span");
        span.lang = "zh-Hans";
        span.textContent = run;
        fragment.appendChild(span);
        last = at + run.length;
      });
      fragment.appendChild(document.createTextNode(kept.slice(last)));
      node.replaceWith(fragment);
    });
  }

  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list) return;
    new MutationObserver(function () {
      list.querySelectorAll("article").forEach(tidyResult);
    }).observe(list, { childList: true, subtree: true });
  }

  /* A long table (class jc-filterable) gets a filter box: typing keeps the rows whose text
   * holds every word typed, Chinese or English; the count of rows shown is announced. */
  function addFilters() {
    document.querySelectorAll(".jc-filterable").forEach(function (wrapper, index) {
      if (wrapper.previousElementSibling && wrapper.previousElementSibling.classList.contains("jc-filter")) return;
      var rows = Array.prototype.slice.call(wrapper.querySelectorAll("tbody tr"));
      var box = document.createElement("div");
      box.className = "jc-filter";
      var id = "jc-filter-" + index;
      box.innerHTML = '<label for="' + id + '">Filter rows</label> <input type="search" id="' + id +
        '" autocomplete="off"> <span class="jc-filter-count" role="status"></span>';
      wrapper.parentNode.insertBefore(box, wrapper);
      var input = box.querySelector("input"), count = box.querySelector(".jc-filter-count");
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
        rows.forEach(function (row) {
          var text = row.textContent.toLowerCase();
          var keep = words.every(function (word) { return text.indexOf(word) >= 0; });
          row.hidden = !keep;
          if (keep) shown += 1;
        });
        count.textContent = words.length ? shown + " of " + rows.length + " rows" : "";
      });
    });
  }

  /* The same long tables sort by any column: each heading becomes a button; a first press
   * sorts ascending, the next descending (numbers by value, Chinese and English by
   * character), and the heading's aria-sort says which. */
  var collator = new Intl.Collator(["zh-Hans", "en"], { numeric: true, sensitivity: "base" });

  function cellText(row, column) {
    var cell = row.cells[column];
    return cell ? cell.textContent.trim() : "";
  }

  function addSorting() {
    document.querySelectorAll(".jc-filterable table").forEach(function (table) {
      var tbody = table.tBodies[0], headings = table.querySelectorAll("thead th");
      if (!tbody || table.dataset.sortable) return;
      table.dataset.sortable = "yes";
      headings.forEach(function (heading, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "jc-sort";
        while (heading.firstChild) button.appendChild(heading.firstChild);
        heading.appendChild(button);
        heading.setAttribute("aria-sort", "none");
        button.addEventListener("click", function () {
          var ascending = heading.getAttribute("aria-sort") !== "ascending";
          headings.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
          heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var rows = Array.prototype.slice.call(tbody.rows);
          rows.sort(function (a, b) {
            var order = collator.compare(cellText(a, column), cellText(b, column));
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { tbody.appendChild(row); });
        });
      });
    });
  }

  function setUp() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    addFilters();
    addSorting();
    focusableScrollers();
    watchSearch();
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(focusableScrollers, 200);
  });
})();
