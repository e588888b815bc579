// Aluna: what is typed with no signal is kept on the phone and sent when it returns.
//
// - A form marked data-offline-queue (the crisis quick form) is sent by fetch: when
//   the phone is offline, or the POST fails or takes more than a few seconds, the
//   entry is kept, encrypted (offline_store.js), and the person is told so.
// - Waiting entries are sent on the `online` event, on every page load and by the
//   service worker's Background Sync; a badge on every page counts them.
// - The queue and its key are wiped on logout, and at the first page that says the
//   session is gone (<html data-offline-epoch="">: the session ended, was closed on
//   every device or the device was reported compromised).
(function () {
  "use strict";
  var store = window.AlunaStore;
  var root = document.documentElement;
  if (!store || !window.indexedDB || !window.crypto || !window.crypto.subtle) return;
  if (!root.hasAttribute("data-offline-epoch")) return; // an error or offline page: leave it
  var epoch = root.getAttribute("data-offline-epoch");
  var textsNode = document.getElementById("aluna-offline-texts");
  var T = textsNode ? JSON.parse(textsNode.textContent) : {};
  var SLOW_MS = 4000;

  function text(name, values) {
    var value = T[name] || name;
    Object.keys(values || {}).forEach(function (k) { value = value.replace("%(" + k + ")s", values[k]); });
    return value;
  }

  function timeOf(date) {
    return date.toLocaleTimeString(root.lang || "es-MX", { hour: "2-digit", minute: "2-digit" });
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : (root.getAttribute("data-csrf") || "");
  }

  if (!epoch) {
    store.wipe().catch(function () {});
    return;
  }

  // --- The badge -------------------------------------------------------------------------
  function refreshBadge() {
    return store.list().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "waiting"; }).length;
      var refused = entries.filter(function (e) { return e.state === "refused"; }).length;
      Array.prototype.forEach.call(document.querySelectorAll("[data-offline-badge]"), function (badge) {
        var label = badge.querySelector("[data-offline-count]");
        var parts = [];
        if (waiting) parts.push(text(waiting === 1 ? "waiting_one" : "waiting_many", { count: waiting }));
        if (refused) parts.push(text(refused === 1 ? "refused_one" : "refused_many", { count: refused }));
        if (label) label.textContent = parts.join(" · ");
        badge.hidden = !parts.length;
      });
      return entries;
    }).catch(function () { return []; });
  }

  function announce(message, link) {
    var box = document.querySelector("[data-offline-status]") || document.querySelector("[data-offline-notice]");
    if (!box) return;
    box.hidden = false;
    box.className = box.className.replace(/\balert-\w+\b/g, "") + " alert alert-success";
    box.textContent = message + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = link; a.textContent = text("see_crisis"); a.className = "alert-link";
      box.appendChild(a);
    }
  }

  function onResult(entry, answer) {
    document.dispatchEvent(new CustomEvent("aluna:queue-result", { detail: { entry: entry, answer: answer } }));
    if (answer.outcome === "sent" && entry.kind === "crisis") {
      var url = null;
      try { url = JSON.parse(answer.body).url; } catch (e) { url = null; }
      announce(text("arrived", { time: timeOf(new Date()) }), url);
    } else if (answer.outcome === "ended") {
      refreshBadge();
    }
  }

  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = store.flush(epoch, csrf(), onResult)
      .catch(function () { return []; })
      .then(function (results) { flushing = null; refreshBadge(); return results; });
    return flushing;
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("aluna-queue");
    }).catch(function () { /* no Background Sync: `online` and the next page load send it */ });
  }

  // Keep a form's fields for later. meta: {id, kind, url, row}.
  function keep(meta, form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") fields.push([name, value]);
    });
    return store.save(epoch, meta, fields, csrf()).then(function (entry) {
      refreshBadge();
      askBackgroundSync();
      return entry;
    });
  }

  window.AlunaQueue = { keep: keep, flush: flush, refreshBadge: refreshBadge, text: text };

  // --- The crisis quick form -------------------------------------------------------------
  function newKey() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function status(form, kind, message) {
    var box = form.querySelector("[data-offline-status]");
    if (!box) return;
    box.hidden = false;
    box.className = "offline-status mb-3 alert alert-" + kind;
    box.setAttribute("data-state", kind);
    box.textContent = message;
    box.focus && box.scrollIntoView({ block: "nearest" });
  }

  function keepCrisis(form, button) {
    var keyInput = form.querySelector("input[name=idempotency_key]");
    return keep({ id: keyInput.value, kind: "crisis", url: form.getAttribute("action") || window.location.pathname + window.location.search }, form)
      .then(function () {
        form.reset();
        keyInput.value = newKey();
        status(form, "warning", text("kept"));
        if (button) button.disabled = false;
      }, function () {
        if (button) button.disabled = false;
        status(form, "danger", text("not_kept"));
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-queue]") || event.defaultPrevented) return;
    event.preventDefault();
    var keyInput = form.querySelector("input[name=idempotency_key]");
    if (keyInput && !keyInput.value) keyInput.value = newKey();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    if (!navigator.onLine) {
      // What the phone can check itself is checked now, not hours later.
      if (!form.checkValidity()) { form.reportValidity(); if (button) button.disabled = false; return; }
      keepCrisis(form, button);
      return;
    }
    status(form, "info", text("sending"));
    var controller = new AbortController();
    var slow = window.setTimeout(function () { controller.abort(); }, SLOW_MS);
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: new FormData(form), credentials: "same-origin", signal: controller.signal,
      redirect: "manual",
      headers: { "X-Requested-With": "fetch", "X-Aluna-Fetch": "1" }
    }).then(function (response) {
      window.clearTimeout(slow);
      if (response.status >= 500) { keepCrisis(form, button); return; }
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.ok && json) {
        return response.json().then(function (answer) { window.location.assign(answer.url); });
      }
      // Errors to show, or a session that ended: let the page answer as without JS.
      HTMLFormElement.prototype.submit.call(form);
    }).catch(function () {
      window.clearTimeout(slow);
      keepCrisis(form, button);
    });
  });

  // An entry the server could not record as it was (a date out of range, ...): offered
  // back into the form, to correct and save again; never dropped in silence.
  function offerRefused() {
    var form = document.querySelector("form[data-offline-queue]");
    if (!form) return;
    store.list().then(function (entries) {
      var refused = entries.filter(function (e) { return e.kind === "crisis" && e.state === "refused"; })[0];
      var box = form.querySelector("[data-offline-status]");
      if (!refused || !box) return;
      status(form, "danger", text("refused_entry") + " ");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-danger";
      button.setAttribute("data-testid", "recover-entry");
      button.textContent = text("recover");
      button.addEventListener("click", function () {
        store.currentKey(epoch).then(function (key) { return store.decrypt(key, refused); }).then(function (payload) {
          restore(form, payload.fields);
          var keyInput = form.querySelector("input[name=idempotency_key]");
          if (keyInput) keyInput.value = refused.id;
          return store.remove(refused.id);
        }).then(function () {
          box.hidden = true;
          refreshBadge();
        });
      });
      box.appendChild(button);
    }).catch(function () {});
  }
  document.addEventListener("aluna:queue-result", function (event) {
    if (event.detail.answer.outcome === "refused") offerRefused();
  });
  offerRefused();

  // --- Logout wipes the queue and its key first ------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-wipe]") || form.getAttribute("data-wiped")) return;
    event.preventDefault();
    var go = function () { form.setAttribute("data-wiped", "1"); HTMLFormElement.prototype.submit.call(form); };
    store.wipe().then(go, go);
  }, true);

  // --- Drafts: form[data-offline-draft="<id>"] (a session note) ---------------------------
  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") fields.push([name, value]);
    });
    return fields;
  }

  function restore(form, fields) {
    var seen = {};
    fields.forEach(function (pair) {
      var inputs = form.querySelectorAll("[name='" + pair[0].replace(/'/g, "") + "']");
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.type === "hidden" || input.type === "file") return;
        if (input.type === "checkbox" || input.type === "radio") {
          if (!seen[pair[0]]) { seen[pair[0]] = true; Array.prototype.forEach.call(inputs, function (i) { i.checked = false; }); }
          if (input.value === pair[1]) input.checked = true;
        } else if (input.tagName === "SELECT" && input.multiple) {
          Array.prototype.forEach.call(input.options, function (o) { if (o.value === pair[1]) o.selected = true; });
        } else {
          input.value = pair[1];
        }
      });
    });
  }

  function draftNotice(form, message) {
    var box = form.querySelector("[data-draft-status]");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-draft-status", "");
      box.setAttribute("role", "status");
      box.setAttribute("data-testid", "draft-status");
      form.insertBefore(box, form.firstChild);
    }
    box.className = "alert alert-info py-2";
    box.textContent = message;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-offline-draft]"), function (form) {
    var id = form.getAttribute("data-offline-draft");
    var timer = null;
    var keepDraft = function (state) {
      return store.saveDraft(epoch, id, fieldsOf(form), state).catch(function () {});
    };
    store.draft(epoch, id).then(function (saved) {
      if (!saved) return;
      // The same form again (a reload, errors, a lost signal): take the typed text back.
      restore(form, saved.fields);
      draftNotice(form, text("draft_restored"));
      return keepDraft("draft");
    }).catch(function () {});
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { keepDraft("draft"); }, 400);
    });
    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      if (!navigator.onLine) {
        event.preventDefault();
        keepDraft("draft");
        draftNotice(form, text("draft_offline"));
        return;
      }
      keepDraft("submitting");
    });
  });
  // A page without the draft's form, reached after it was submitted: it was saved.
  store.list().then(function (entries) {
    entries.forEach(function (entry) {
      if (entry.kind !== "draft" || entry.state !== "submitting") return;
      var id = entry.id.slice("draft:".length);
      if (!document.querySelector("form[data-offline-draft='" + id.replace(/'/g, "") + "']")) store.remove(entry.id);
    });
  }).catch(function () {});

  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator) {
    // Background Sync sent an entry while this page was open: the same news as our own.
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "aluna-queue-result") {
        onResult(event.data.entry, event.data.answer);
        refreshBadge();
      }
    });
  }
  store.currentKey(epoch).then(function () {
    return refreshBadge();
  }).then(function (entries) {
    if (entries.length && navigator.onLine) flush();
  }).catch(function () {});
})();
