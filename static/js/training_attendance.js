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
    recount();
  });

  // Counts per state, from what the server confirmed (each row's data-saved-status).
  function recount() {
    var counts = { "": 0 };
    rows().forEach(function (row) {
      var state = row.getAttribute("data-saved-status") || "";
      counts[state] = (counts[state] || 0) + 1;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-count-for]"), function (node) {
      var number = node.querySelector("[data-count]");
      if (number) number.textContent = String(counts[node.getAttribute("data-count-for")] || 0);
    });
  }

  // With no signal a mark is kept on the phone (encrypted, offline_queue.js) and shown
  // as pending; it is sent when the signal returns. The latest mark of a person wins.
  var queue = window.AlunaQueue;
  function entryId(form) {
    return "attendance:" + form.getAttribute("hx-post") + ":" + form.querySelector("input[name=enrolment]").value;
  }
  function say(row, message) {
    var note = row.querySelector("[data-row-note]");
    if (note) note.textContent = message;
  }
  function keep(form) {
    var row = form.closest("tr");
    row.setAttribute("data-pending", "queued");
    return queue.keep({ id: entryId(form), kind: "attendance", url: form.getAttribute("hx-post"), row: row.id }, form)
      .then(function () { say(row, queue.text("queued_mark")); });
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!queue || !table.contains(form) || navigator.onLine) return;
    event.preventDefault();
    keep(form);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (event.detail.successful && window.AlunaStore && form.getAttribute && form.getAttribute("hx-post")) {
      if (table.contains(form) || form.classList.contains("attendance-form")) {
        window.AlunaStore.remove(entryId(form)).then(function () { queue && queue.refreshBadge(); });
      }
    }
  });
  document.addEventListener("aluna:queue-result", function (event) {
    var entry = event.detail.entry;
    var answer = event.detail.answer;
    if (entry.kind !== "attendance") return;
    var row = document.getElementById(entry.row);
    if (!row || !table.contains(row)) return;
    if (answer.outcome === "sent") {
      var holder = document.createElement("tbody");
      holder.innerHTML = answer.body;
      var fresh = holder.querySelector("tr");
      if (fresh) {
        row.replaceWith(fresh);
        window.htmx.process(fresh);
        recount();
      }
    } else if (answer.outcome === "refused") {
      row.setAttribute("data-pending", "failed");
      say(row, queue.text("refused_mark"));
    }
  });
})();
