// Aluna: the header's menu button and drop-downs. Bootstrap's JS bundle (21 KB on the
// wire, a fifth of the crisis form's first-load budget) was loaded for these two
// behaviours alone; this keeps its markup, classes and ARIA (data-bs-toggle="collapse"
// and "dropdown", .show, aria-expanded, data-bs-popper="static" as in a navbar),
// without the animation: a tap or Enter toggles, a click elsewhere, Escape or focus
// moving out closes (Escape gives the focus back to the toggle), arrow keys move
// among a menu's items. A click on a form control in a menu (the language choice)
// leaves it open.
(function () {
  "use strict";
  var DROPDOWN = '[data-bs-toggle="dropdown"]';
  var ITEMS = ".dropdown-item:not(.disabled):not(:disabled)";

  function menuOf(toggle) {
    return toggle.parentElement.querySelector(".dropdown-menu");
  }

  function setOpen(toggle, open) {
    var menu = menuOf(toggle);
    if (!menu) return;
    toggle.classList.toggle("show", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("show", open);
    if (open) menu.setAttribute("data-bs-popper", "static");
    else menu.removeAttribute("data-bs-popper");
  }

  function closeAll(keep) {
    Array.prototype.forEach.call(document.querySelectorAll(DROPDOWN + '[aria-expanded="true"]'), function (toggle) {
      if (!keep || !toggle.parentElement.contains(keep)) setOpen(toggle, false);
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(DROPDOWN);
    if (toggle) {
      event.preventDefault();
      var open = toggle.getAttribute("aria-expanded") !== "true";
      closeAll(null);
      setOpen(toggle, open);
      return;
    }
    var button = event.target.closest('[data-bs-toggle="collapse"]');
    if (button) {
      var target = document.querySelector(button.getAttribute("data-bs-target"));
      if (!target) return;
      var shown = !target.classList.contains("show");
      target.classList.toggle("show", shown);
      button.classList.toggle("collapsed", !shown);
      button.setAttribute("aria-expanded", shown ? "true" : "false");
      return;
    }
    if (event.target.closest(".dropdown-menu") && /^(INPUT|SELECT|OPTION|TEXTAREA|LABEL|FORM)$/.test(event.target.tagName)) return;
    closeAll(null);
  });

  document.addEventListener("focusin", function (event) {
    closeAll(event.target);
  });

  document.addEventListener("keydown", function (event) {
    var open = document.querySelector(DROPDOWN + '[aria-expanded="true"]');
    if (event.key === "Escape" && open) {
      setOpen(open, false);
      open.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) return;
    var toggle = event.target.closest(DROPDOWN);
    var menu = toggle ? menuOf(toggle) : event.target.closest(".dropdown-menu");
    if (!menu) return;
    event.preventDefault();
    if (toggle) setOpen(toggle, true);
    var items = Array.prototype.filter.call(menu.querySelectorAll(ITEMS), function (item) {
      return item.offsetParent !== null;
    });
    if (!items.length) return;
    var down = event.key === "ArrowDown";
    var index = items.indexOf(event.target);
    index = index < 0 ? (down ? 0 : items.length - 1) : Math.max(0, Math.min(items.length - 1, index + (down ? 1 : -1)));
    items[index].focus();
  });
})();
