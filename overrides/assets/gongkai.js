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
})();
