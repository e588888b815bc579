// Attendance by keyboard: P present, A absent, J excused (justificada), R late (retardo);
// up/down arrows (or j/k) move between people. Each change is POSTed by htmx.
(function () {
  "use strict";
  var keys = { p: "present", a: "absent", j: "excused", r: "late" };
  var table = document.getElementById("attendance-table");
  if (!table) return;
  function rows() { return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-testid=attendance-row]")); }
  function focusRow(row) {
    if (!row) return;
    var input = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    if (input) input.focus();
  }
  table.addEventListener("keydown", function (event) {
    var row = event.target.closest("tr");
    if (!row || event.ctrlKey || event.metaKey || event.altKey) return;
    var list = rows();
    var index = list.indexOf(row);
    var key = event.key.toLowerCase();
    if (keys[key]) {
      var radio = row.querySelector("input[data-status=" + keys[key] + "]");
      if (radio && !radio.checked) {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      }
      event.preventDefault();
      var next = list[index + 1];
      if (next) window.setTimeout(function () { focusRow(document.getElementById(next.id)); }, 0);
    } else if (key === "arrowdown") {
      event.preventDefault(); focusRow(list[index + 1]);
    } else if (key === "arrowup") {
      event.preventDefault(); focusRow(list[index - 1]);
    }
  });
  // A mark someone else changed meanwhile is refused with 409 and the row as saved now
  // (the stale-edit contract): show that row, it is an answer, not a failure.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409 && table.contains(event.detail.target)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.target;
    if (row && row.id && document.activeElement === document.body) focusRow(document.getElementById(row.id));
  });
})();
