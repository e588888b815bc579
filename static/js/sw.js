/* Aluna's service worker, served at /sw.js by aluna.core.pwa (which sets VERSION).
 *
 * It keeps only what is not personal: static files (hashed names in production,
 * so a cached copy is never stale) and the generic offline page. It never stores
 * a page or any other response: case pages are `no-store`, and an anonymous page
 * could tell who uses the app. Writes (POST) always go to the network.
 *
 * Hand-written rather than Workbox: three routes need no bundler in the build.
 * A new deployment changes VERSION, so the browser installs the new worker,
 * which takes over at once and drops the old caches.
 */
"use strict";

const VERSION = "__VERSION__";
const OFFLINE_URL = "__OFFLINE_URL__";
const STATIC_PREFIX = "__STATIC_URL__";
const STATIC_CACHE = "aluna-static-" + VERSION;
const SHELL_CACHE = "aluna-shell-" + VERSION;

// The phone's queue of entries typed without signal (encrypted in IndexedDB): Background
// Sync sends them even when no page of the app is open.
importScripts("__STORE_URL__");

async function tellPages(entry, answer) {
  const clients = await self.clients.matchAll({ includeUncontrolled: true });
  const message = {
    type: "aluna-queue-result",
    entry: { id: entry.id, kind: entry.kind, row: entry.row, url: entry.url },
    answer: answer,
  };
  clients.forEach((client) => client.postMessage(message));
}

async function sendQueue() {
  const results = await self.AlunaStore.flush(null, null, tellPages);
  if (results.some((result) => result.answer.outcome === "retry")) {
    throw new Error("still no signal"); // the browser tries the sync again later
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === "aluna-queue") event.waitUntil(sendQueue());
});

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.add(new Request(OFFLINE_URL, { cache: "reload" })))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name !== STATIC_CACHE && name !== SHELL_CACHE)
          .map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

function storable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !/no-store|private/.test(control);
}

async function fromCacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (storable(response)) cache.put(request, response.clone());
  return response;
}

async function pageOrOffline(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const offline = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE });
    return offline || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageOrOffline(request));
  }
});
