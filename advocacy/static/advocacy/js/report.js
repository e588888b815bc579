// Donor report page: the PDF's state is polled by htmx (report_status.html).
// Say so when a poll fails instead of freezing silently, keep the login page out of
// the status box when the session has ended, and announce each change of state once.
(function () {
  "use strict";
  var error = document.getElementById("report-status-error");
  var signedOut = document.getElementById("report-status-signed-out");
  var announcer = document.getElementById("report-status-announce");
  if (!error || !signedOut || !announcer) {
    return;
  }
  var status = document.getElementById("report-status");
  var lastLabel = status ? status.getAttribute("data-status-label") : "";

  function fromStatus(event) {
    var elt = event.detail && event.detail.elt;
    return Boolean(elt && elt.id === "report-status");
  }

  ["htmx:sendError", "htmx:responseError", "htmx:timeout"].forEach(function (name) {
    document.body.addEventListener(name, function (event) {
      if (fromStatus(event)) {
        error.hidden = false;
      }
    });
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!fromStatus(event)) {
      return;
    }
    var asked = event.detail.requestConfig && event.detail.requestConfig.path;
    var answered = event.detail.xhr && event.detail.xhr.responseURL;
    // Compare paths: the login page's address holds the status path in its "next".
    if (asked && answered &&
        new URL(answered, window.location.href).pathname !==
        new URL(asked, window.location.href).pathname) {
      // Redirected (to the login page): keep the status box as it was.
      event.detail.shouldSwap = false;
      signedOut.hidden = false;
    }
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    var current = document.getElementById("report-status");
    if (!current) {
      return;
    }
    error.hidden = true;
    var label = current.getAttribute("data-status-label");
    if (label && label !== lastLabel) {
      announcer.textContent = label;
      lastLabel = label;
    }
  });
})();
