// Register the service worker (static/js/sw.js, served at /sw.js): the app can be
// installed on a phone and shows a Spanish offline page instead of the browser's.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var url = document.documentElement.getAttribute("data-sw");
  if (!url) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
      // No worker (a private window, an old phone): the app works as a plain website.
    });
  });
})();
