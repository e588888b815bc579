// Aluna: after a form comes back with errors, take the person to the first wrong field.
// Server-rendered errors only (no client validation): a field's error is an
// `.invalid-feedback` or `.errorlist` element after its control, or a control
// marked `.is-invalid` (crispy forms). The first one in page order is opened (when
// inside a closed <details>), scrolled to the middle of the screen and focused, and
// every wrong control gets aria-invalid and is described by its message, so a
// screen reader says what is wrong. Loaded on every page; does nothing without errors.
(function () {
  "use strict";
  var CONTROLS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  var ERRORS = ".invalid-feedback, .errorlist, .is-invalid";

  function controlFor(error) {
    if (error.matches(CONTROLS)) { return error; }
    // The error's own field: its fieldset (radio groups) or the box around label + control.
    var box = error.closest("fieldset, .mb-2, .mb-3, .form-check, .col, [class*='col-']") || error.parentElement;
    if (!box) { return null; }
    var checked = box.querySelector("input:checked:not([type=hidden])");
    return checked || box.querySelector(CONTROLS);
  }

  function describe(control, error) {
    if (error === control) { return; }
    if (!error.id) { error.id = (control.id || control.name || "field") + "-error"; }
    var ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(error.id) === -1) { ids.push(error.id); }
    control.setAttribute("aria-describedby", ids.join(" "));
  }

  function firstWrongField(form) {
    var first = null;
    Array.prototype.forEach.call(form.querySelectorAll(ERRORS), function (error) {
      var message = !error.matches(CONTROLS);
      if (message && (!error.textContent.trim() || getComputedStyle(error).display === "none")) { return; }
      var control = controlFor(error);
      if (!control) { return; }
      control.setAttribute("aria-invalid", "true");
      describe(control, error);
      if (!first) { first = control; }
    });
    return first;
  }

  function goTo(control) {
    var details = control.closest("details");
    while (details) {
      details.open = true;
      details = details.parentElement && details.parentElement.closest("details");
    }
    control.scrollIntoView({ block: "center" });
    control.focus({ preventScroll: true });
  }

  function init() {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i += 1) {
      var control = firstWrongField(forms[i]);
      if (control) { goTo(control); return; }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
