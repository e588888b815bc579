// Aluna: no htmx request fails in silence.
//
// For every htmx request: when the network fails, the request times out or the server
// answers an error, a Spanish message appears where the request was made, with a
// "Reintentar" button that sends it again. While a request is under way, and after it
// failed, its element carries data-pending: pages style a choice made there as not yet
// saved (attendance: dashed), never as saved. Only the server's answer, swapped in,
// shows what is saved.
(function () {
  "use strict";
  if (!window.htmx) return;
  var textsNode = document.getElementById("aluna-offline-texts");
  var T = textsNode ? JSON.parse(textsNode.textContent) : {};
  var TIMEOUT_MS = 10000;
  if (!window.htmx.config.timeout) window.htmx.config.timeout = TIMEOUT_MS;

  function holder(elt) {
    return elt.closest("[data-htmx-feedback]") || elt.closest("tr") || elt;
  }

  function clear(elt) {
    var place = holder(elt);
    Array.prototype.forEach.call(place.querySelectorAll(".htmx-error"), function (box) { box.remove(); });
    if (place.nextElementSibling && place.nextElementSibling.classList.contains("htmx-error")) {
      place.nextElementSibling.remove();
    }
  }

  function show(elt, message, retryEvent) {
    clear(elt);
    var place = holder(elt);
    place.setAttribute("data-pending", "failed");
    var box = document.createElement("div");
    box.className = "htmx-error alert alert-danger d-flex flex-wrap align-items-center gap-2 py-1 px-2 mb-0 small";
    box.setAttribute("role", "alert");
    box.setAttribute("data-testid", "htmx-error");
    var words = document.createElement("span");
    words.textContent = message;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-danger";
    button.setAttribute("data-testid", "htmx-retry");
    button.textContent = T.retry || "Reintentar";
    button.addEventListener("click", function () {
      box.remove();
      window.htmx.trigger(elt, retryEvent || "click");
    });
    box.appendChild(words);
    box.appendChild(button);
    var status = place.querySelector("[data-row-status]");
    if (status) status.appendChild(box);
    else if (place.tagName === "TR") place.cells[0].appendChild(box);
    else place.insertAdjacentElement("afterend", box);
  }

  function triggerOf(detail) {
    var event = detail.requestConfig && detail.requestConfig.triggeringEvent;
    return (event && event.type) || "click";
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    clear(elt);
    holder(elt).setAttribute("data-pending", "sending");
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, navigator.onLine ? T.network : T.offline, triggerOf(event.detail));
  });
  document.body.addEventListener("htmx:timeout", function (event) {
    show(event.detail.elt, T.timeout, triggerOf(event.detail));
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    show(event.detail.elt, status >= 500 ? T.server : T.refused, triggerOf(event.detail));
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      var place = holder(event.detail.elt);
      if (place.isConnected) place.removeAttribute("data-pending");
    }
  });
})();
