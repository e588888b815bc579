// Session form: a second tap on "Save" on a slow phone connection must not
// record the session twice.
(function () {
  "use strict";
  var form = document.querySelector("form[data-testid=session-form]");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) {
      // Disable after the submit has started, so the form is still sent.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
})();
