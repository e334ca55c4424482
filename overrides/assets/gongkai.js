/* gongkai: small progressive enhancements. Every page works without this script. */
(function () {
  "use strict";

  /* Table filter: <form data-gk-filter="TABLE_ID" hidden><select>…</select><span role="status"></span></form>
     Rows carry data-type; the choice can also come from the address (?type=行政许可). */
  function setUpFilter(form) {
    var table = document.getElementById(form.getAttribute("data-gk-filter"));
    var select = form.querySelector("select");
    var status = form.querySelector("[role=status]");
    if (!table || !select) return;
    function apply() {
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var match = !select.value || row.getAttribute("data-type") === select.value;
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (status) status.textContent = select.value ? "显示 " + shown + " 项" : "";
    }
    var wanted = new URLSearchParams(window.location.search).get(select.name);
    if (wanted) select.value = wanted;
    select.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  document.querySelectorAll("form[data-gk-filter]").forEach(setUpFilter);

  /* A table wider than its box scrolls in the box; say so above it, and let the keyboard scroll
     it (the box is focusable and named after the table). Material wraps tables of its own at
     run time, so this runs after it, and again when the window changes size. */
  var HINT = "gk-scroll-hint";
  function markScrolling() {
    document.querySelectorAll(".md-typeset .gk-table-wrap, .md-typeset .md-typeset__scrollwrap").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var hint = box.previousElementSibling && box.previousElementSibling.classList.contains(HINT) ? box.previousElementSibling : null;
      if (wide && !hint) {
        hint = document.createElement("p");
        hint.className = HINT;
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = "表格较宽，可左右滑动查看 ⇆";
        box.parentNode.insertBefore(hint, box);
      }
      if (hint) hint.hidden = !wide;
      if (wide && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "表格");
      }
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(function () { setTimeout(markScrolling); });
  else markScrolling();
  window.addEventListener("resize", markScrolling);
})();
