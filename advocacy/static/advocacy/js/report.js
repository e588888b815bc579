// Donor report page: poll the generation status and move the progress bar.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box || box.dataset.active !== "1") {
    return;
  }
  var bar = document.getElementById("report-progress-bar");
  var label = document.getElementById("report-progress-label");
  var url = box.dataset.statusUrl;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", data.progress);
        label.textContent = data.label;
        if (data.done) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
