// Aluna: entries kept on the phone until there is signal, encrypted.
//
// Used by the pages (offline_queue.js) and by the service worker (Background Sync),
// so it touches no DOM. Each entry is a form to POST later: its fields are encrypted
// with AES-GCM under a key WebCrypto made non-extractable (the key is stored in
// IndexedDB as a CryptoKey: script can use it, never read it). Only what is needed to
// send and list it stays in clear: an id, a kind, the address, the time it was kept.
// Nothing goes to localStorage, Cache Storage or an address.
(function (scope) {
  "use strict";
  var DB_NAME = "aluna-offline";
  var ENTRIES = "entries";
  var KEYS = "keys";
  var KEY_ID = "queue";
  var SEND_TIMEOUT_MS = 15000;
  var LOCK = "aluna-offline-queue";

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    var req = scope.indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      var db = req.result;
      if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: "id" });
      if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS, { keyPath: "id" });
    };
    return request(req);
  }

  function withStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result;
        Promise.resolve(work(tx.objectStore(name))).then(function (value) { result = value; }, reject);
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  // The key of this session ("epoch"): a new session (a new login) gets a new key, and
  // whatever the old one encrypted is dropped with it.
  function currentKey(epoch) {
    return withStore(KEYS, "readonly", function (store) { return request(store.get(KEY_ID)); })
      .then(function (record) {
        if (record && (!epoch || record.epoch === epoch)) return record.key;
        if (!epoch) return null;
        return wipe().then(function () {
          return scope.crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
        }).then(function (key) {
          return withStore(KEYS, "readwrite", function (store) {
            return request(store.put({ id: KEY_ID, epoch: epoch, key: key }));
          }).then(function () { return key; });
        });
      });
  }

  function wipe() {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction([ENTRIES, KEYS], "readwrite");
        tx.objectStore(ENTRIES).clear();
        tx.objectStore(KEYS).clear();
        tx.oncomplete = function () { db.close(); resolve(); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function encrypt(key, payload) {
    var iv = scope.crypto.getRandomValues(new Uint8Array(12));
    var clear = new TextEncoder().encode(JSON.stringify(payload));
    return scope.crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, clear)
      .then(function (data) { return { iv: iv, data: data }; });
  }

  function decrypt(key, entry) {
    return scope.crypto.subtle.decrypt({ name: "AES-GCM", iv: entry.iv }, key, entry.data)
      .then(function (clear) { return JSON.parse(new TextDecoder().decode(clear)); });
  }

  // Keep `fields` ([name, value] pairs) to POST to `url` later. An entry with the same
  // id replaces the earlier one (the latest attendance mark of a person wins).
  function save(epoch, meta, fields, csrf) {
    return currentKey(epoch).then(function (key) {
      if (!key) throw new Error("no session");
      return encrypt(key, { fields: fields, csrf: csrf || "" });
    }).then(function (sealed) {
      var entry = {
        id: meta.id, kind: meta.kind, url: meta.url, row: meta.row || "",
        keptAt: Date.now(), state: "waiting", iv: sealed.iv, data: sealed.data
      };
      return withStore(ENTRIES, "readwrite", function (store) { return request(store.put(entry)); })
        .then(function () { return entry; });
    });
  }

  // A draft: a form being typed (a session note), kept so it survives a lost signal and
  // a reload. Never sent by the queue; the person sends it by saving the form.
  function saveDraft(epoch, id, fields, state) {
    return currentKey(epoch).then(function (key) {
      if (!key) throw new Error("no session");
      return encrypt(key, { fields: fields });
    }).then(function (sealed) {
      var entry = { id: "draft:" + id, kind: "draft", url: "", row: "", keptAt: Date.now(), state: state || "draft", iv: sealed.iv, data: sealed.data };
      return withStore(ENTRIES, "readwrite", function (store) { return request(store.put(entry)); });
    });
  }

  function draft(epoch, id) {
    return currentKey(epoch).then(function (key) {
      if (!key) return null;
      return withStore(ENTRIES, "readonly", function (store) { return request(store.get("draft:" + id)); })
        .then(function (entry) {
          if (!entry) return null;
          return decrypt(key, entry).then(function (payload) {
            return { state: entry.state, fields: payload.fields, keptAt: entry.keptAt };
          });
        });
    });
  }

  function list() {
    return withStore(ENTRIES, "readonly", function (store) { return request(store.getAll()); })
      .then(function (entries) { return entries.sort(function (a, b) { return a.keptAt - b.keptAt; }); });
  }

  function remove(id) {
    return withStore(ENTRIES, "readwrite", function (store) { return request(store.delete(id)); });
  }

  function mark(entry, state) {
    entry.state = state;
    return withStore(ENTRIES, "readwrite", function (store) { return request(store.put(entry)); });
  }

  // POST one entry. Outcomes: "sent" (the server recorded it, or had already),
  // "refused" (the server answered it cannot be recorded as it is), "ended" (no
  // session any more: the caller wipes), "retry" (no signal, a timeout, a server error).
  function send(key, entry, csrf) {
    return decrypt(key, entry).then(function (payload) {
      var body = new URLSearchParams();
      payload.fields.forEach(function (pair) {
        if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]);
      });
      var controller = new AbortController();
      var timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
      return fetch(entry.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        signal: controller.signal,
        headers: { "X-CSRFToken": csrf || payload.csrf, "X-Aluna-Queue": "1", "X-Requested-With": "fetch" }
      }).then(function (response) {
        clearTimeout(timer);
        if (response.type === "opaqueredirect" || response.status === 401) return { outcome: "ended" };
        return response.text().then(function (text) {
          var answer = { status: response.status, body: text };
          if (response.ok || response.status === 409) answer.outcome = "sent";
          else if (response.status >= 500 || response.status === 429) answer.outcome = "retry";
          else answer.outcome = "refused";
          return answer;
        });
      }, function () {
        clearTimeout(timer);
        return { outcome: "retry" };
      });
    });
  }

  // Send every waiting entry, one sender at a time across tabs and the worker.
  function flush(epoch, csrf, onResult) {
    var run = function () {
      return currentKey(epoch).then(function (key) {
        if (!key) return [];
        return list().then(function (entries) {
          var results = [];
          return entries.filter(function (e) { return e.state === "waiting"; }).reduce(function (chain, entry) {
            return chain.then(function (stop) {
              if (stop) return true;
              return send(key, entry, csrf).then(function (answer) {
                results.push({ entry: entry, answer: answer });
                var done;
                if (answer.outcome === "sent") done = remove(entry.id);
                else if (answer.outcome === "refused") done = mark(entry, "refused");
                else if (answer.outcome === "ended") done = wipe();
                else done = Promise.resolve();
                return done.then(function () {
                  if (onResult) onResult(entry, answer);
                  return answer.outcome === "ended" || answer.outcome === "retry";
                });
              });
            });
          }, Promise.resolve(false)).then(function () { return results; });
        });
      });
    };
    if (scope.navigator && scope.navigator.locks) return scope.navigator.locks.request(LOCK, run);
    return run();
  }

  scope.AlunaStore = {
    currentKey: currentKey, wipe: wipe, save: save, list: list, remove: remove,
    saveDraft: saveDraft, draft: draft,
    decrypt: decrypt, flush: flush
  };
})(self);
