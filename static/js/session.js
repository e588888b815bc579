// Aluna: typing in a form keeps the session alive (idle timeout is 15 min).
// Sends at most one heartbeat a minute, only while the user types.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var url = script.getAttribute("data-heartbeat-url");
  var token = script.getAttribute("data-csrf-token");
  var INTERVAL_MS = 60 * 1000;
  var lastSent = Date.now();

  function beat() {
    lastSent = Date.now();
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": token, "X-Requested-With": "fetch" }
    }).catch(function () { /* offline: the next keystroke tries again */ });
  }

  document.addEventListener("input", function (event) {
    if (!event.target || !event.target.form) { return; }
    if (Date.now() - lastSent >= INTERVAL_MS) { beat(); }
  }, true);
})();
