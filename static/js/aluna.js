// Aluna: behaviour without inline scripts (CSP forbids them).
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // htmx: send the CSRF token with every request.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
  // A table wider than its box scrolls inside it: make that box reachable with the
  // keyboard and name it (WCAG 2.1.1; axe's scrollable-region-focusable), on every page.
  // The heading just before `el` in reading order (its own, or one of an ancestor's).
  function precedingHeading(el) {
    for (var node = el; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev; }
        var inner = prev.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) { return inner[inner.length - 1]; }
      }
    }
    return null;
  }
  function labelScrollRegions(root) {
    var boxes = (root || document).querySelectorAll(".table-responsive, .table-scroll");
    Array.prototype.forEach.call(boxes, function (box) {
      var scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
      if (!scrolls) {
        if (box.getAttribute("data-scroll-region")) {
          box.removeAttribute("tabindex"); box.removeAttribute("role");
          box.removeAttribute("aria-label"); box.removeAttribute("data-scroll-region");
        }
        return;
      }
      if (box.hasAttribute("tabindex")) { return; }
      var caption = box.querySelector("caption");
      var section = box.closest("section, .card");
      var heading = section && section.querySelector("h1, h2, h3, h4, .card-header");
      var name = (caption || heading || precedingHeading(box) || {}).textContent;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("data-scroll-region", "1");
      if (name && name.trim()) { box.setAttribute("aria-label", name.trim()); }
    });
  }
  labelScrollRegions(document);
  window.addEventListener("resize", function () { labelScrollRegions(document); });
  // A table inside a <details> only gets its width once opened ("toggle" does not bubble).
  document.addEventListener("toggle", function (event) { labelScrollRegions(event.target); }, true);
  document.body.addEventListener("htmx:afterSettle", function (event) {
    labelScrollRegions(event.target);
  });
})();
