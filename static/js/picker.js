// Aluna: type-ahead pickers (templates/includes/picker.html), the ARIA 1.2 combobox
// pattern: the text box is a combobox that owns a listbox of options; arrows move the
// active option (aria-activedescendant), Enter or a tap picks it, Escape closes.
// Each search is a POST with the CSRF token: what is typed (perhaps a name) never
// goes into a URL, the browser history or a server log. Without this script the box
// is a plain text field that the server resolves.
(function () {
  "use strict";
  var DELAY_MS = 200;

  function csrfToken(box) {
    var form = box.closest("form");
    var input = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function Picker(box) {
    this.box = box;
    this.input = box.querySelector("input[type=text]");
    this.listbox = box.querySelector("[data-picker-listbox]");
    this.more = box.querySelector("[data-picker-more]");
    this.status = box.querySelector("[data-picker-status]");
    this.chosen = box.querySelector("[data-picker-chosen]");
    this.multiple = box.hasAttribute("data-multiple");
    this.target = box.getAttribute("data-target");
    this.url = box.getAttribute("data-search-url");
    this.kind = box.getAttribute("data-search-kind");
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.sent = 0;
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);
    this.listbox.setAttribute("aria-label", this.labelText());
    this.bind();
  }

  Picker.prototype.labelText = function () {
    var label = document.querySelector("label[for='" + this.input.id + "']");
    return label ? label.textContent.trim() : "";
  };

  Picker.prototype.text = function (key) {
    return this.box.getAttribute("data-text-" + key) || "";
  };

  Picker.prototype.say = function (message) {
    this.status.textContent = message;
  };

  Picker.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () {
      if (!self.chosen) { self.clearPick(); }
      window.clearTimeout(self.timer);
      self.timer = window.setTimeout(function () { self.search(); }, DELAY_MS);
    });
    this.input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    // mousedown, not click: it comes before the box loses the focus.
    this.listbox.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        event.preventDefault();
        self.pick(self.options.indexOf(option));
      }
    });
    if (this.chosen) {
      this.chosen.addEventListener("change", function (event) {
        var box = event.target;
        if (box.type === "checkbox" && !box.checked) {
          var label = self.chosen.querySelector("label[for='" + box.id + "']");
          self.say((label ? label.textContent.trim() : "") + ": " + self.text("removed"));
          if (label) { label.remove(); }
          box.remove();
          self.input.focus();
        }
      });
    }
  };

  Picker.prototype.onKey = function (event) {
    var open = !this.listbox.hidden && this.options.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) { this.search(); return; }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      this.activate((this.active + step + this.options.length) % this.options.length);
    } else if (event.key === "Enter" && open && this.active >= 0) {
      // Picking, not submitting: the form is sent by its own button.
      event.preventDefault();
      this.pick(this.active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      this.close();
    }
  };

  Picker.prototype.search = function () {
    var self = this;
    var query = this.input.value.trim();
    if (!query) { this.close(); return; }
    var sent = ++this.sent;
    var body = new URLSearchParams();
    body.set("q", query);
    if (this.kind) { body.set("kind", this.kind); }
    fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(this.box), "X-Requested-With": "fetch" },
      body: body
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (sent !== self.sent) { return; }  // an older answer, overtaken by typing
      if (!answer.ok) { self.close(); self.say(answer.data.error || self.text("error")); return; }
      self.show(answer.data.results, answer.data.more);
    }).catch(function () {
      if (sent === self.sent) { self.close(); self.say(self.text("error")); }
    });
  };

  Picker.prototype.show = function (results, more) {
    var self = this;
    var taken = this.takenIds();
    this.listbox.textContent = "";
    this.options = [];
    this.active = -1;
    results.forEach(function (row, index) {
      if (taken.indexOf(row.id) !== -1) { return; }
      var option = document.createElement("li");
      option.className = "list-group-item list-group-item-action";
      option.id = self.listbox.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-id", row.id);
      option.setAttribute("data-alias", row.alias);
      option.textContent = row.label;
      self.listbox.appendChild(option);
      self.options.push(option);
    });
    this.more.hidden = !more;
    if (!this.options.length) {
      this.close();
      this.more.hidden = !more;
      this.say(this.text(results.length ? "taken" : "none"));
      return;
    }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.say(this.options.length + " " + this.text("count") + (more ? " " + this.more.textContent : ""));
  };

  Picker.prototype.activate = function (index) {
    this.options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    this.active = index;
    var option = this.options[index];
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.more.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Picker.prototype.takenIds = function () {
    if (!this.chosen) { return []; }
    return Array.prototype.map.call(
      this.chosen.querySelectorAll("input[name='" + this.target + "']:checked"),
      function (box) { return box.value; }
    );
  };

  Picker.prototype.pick = function (index) {
    var option = this.options[index];
    if (!option) { return; }
    var id = option.getAttribute("data-id");
    var label = option.textContent;
    if (this.chosen) {
      if (!this.multiple) { this.chosen.textContent = ""; }
      this.addChosen(id, label);
      this.input.value = "";
      this.say(label + ": " + this.text("added"));
    } else {
      this.setPick(id);
      this.input.value = option.getAttribute("data-alias");
      this.say(label + ": " + this.text("chosen"));
    }
    this.close();
    this.input.focus();
  };

  Picker.prototype.addChosen = function (id, label) {
    var n = this.chosen.querySelectorAll("input").length + 1;
    var boxId = this.input.id + "-picked-" + n + "-" + id.slice(0, 8);
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "btn-check";
    box.name = this.target;
    box.value = id;
    box.id = boxId;
    box.checked = true;
    var tag = document.createElement("label");
    tag.className = "btn btn-sm btn-outline-primary";
    tag.htmlFor = boxId;
    tag.textContent = label + " ";
    var icon = document.createElement("i");
    icon.className = "bi bi-x-lg";
    icon.setAttribute("aria-hidden", "true");
    tag.appendChild(icon);
    this.chosen.appendChild(box);
    this.chosen.appendChild(tag);
  };

  // One value: the pick is a hidden input the form prefers to the text; other inputs
  // of the same name (the choices an ambiguous alias offered) are let go.
  Picker.prototype.setPick = function (id) {
    var form = this.box.closest("form") || document;
    Array.prototype.forEach.call(
      form.querySelectorAll("input[type=radio][name='" + this.target + "']"),
      function (radio) { radio.checked = false; }
    );
    var hidden = this.box.querySelector("input[type=hidden][data-picked]");
    if (!hidden) {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = this.target;
      hidden.setAttribute("data-picked", "");
      this.box.appendChild(hidden);
    }
    hidden.value = id;
  };

  Picker.prototype.clearPick = function () {
    var hidden = this.box.querySelector("input[type=hidden][data-picked]");
    if (hidden) { hidden.remove(); }
  };

  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), function (box) {
    box.picker = new Picker(box);
  });
})();
