// Près d'ici service worker: hand-written, no build step (adactio's pattern).
// Pages: network first, then cache, then the offline page. Static files: cache first.
// Never cached: anything with a position (lat/lon), any POST (the place picker's answers: a typed
// address or a position), any htmx fragment, any no-store answer,
// other origins (map tiles). Territory packs live in "presdici-city-<id>", kept across versions.
"use strict";
const CONFIG = {{ config|tojson }};
const SHELL = "presdici-shell-" + CONFIG.version;
const PAGES = "presdici-pages-" + CONFIG.version;
const CITY = "presdici-city-";

self.addEventListener("install", function (event) {
  // cache: "reload" skips the HTTP cache, so a new version never precaches yesterday's files.
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(CONFIG.shell.map(function (url) {
      return new Request(url, { cache: "reload" });
    }));
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.startsWith("presdici-") && !key.startsWith(CITY) && key !== SHELL && key !== PAGES;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

// The page's "update" button: the waiting worker takes over only when the visitor agrees.
self.addEventListener("message", function (event) {
  if (event.data === "activate") self.skipWaiting();
});

/** Whether a response may be kept: a plain full page, no query, not marked no-store. */
function storable(request, response) {
  const url = new URL(request.url);
  return response.ok && response.type === "basic" && !response.redirected && url.search === ""
    && !/no-store/.test(response.headers.get("Cache-Control") || "");
}

/** A kept copy that came through a redirect (a kiosk's "/" goes to its city): browsers refuse a
 * redirected response for a navigation, so hand back the same page as a plain one. */
function plain(response) {
  if (!response || !response.redirected) return response;
  return response.blob().then(function (body) {
    return new Response(body, { status: response.status, statusText: response.statusText,
                                headers: response.headers });
  });
}

/** Pages: the network, else this version's copy, a kept city's copy, the offline page. */
function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (storable(request, response)) {
      const copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    // ignoreSearch: a page asked with a query falls back to its bare copy, never to a stored answer.
    // ignoreVary: pages vary on Accept-Language and Cookie for shared caches, but a worker's
    // stored requests carry neither header; this device's copy is the one to show.
    // First the exact page: only a kept city's cache holds pages with a query (its streams).
    const options = { ignoreSearch: true, ignoreVary: true };
    return caches.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || caches.open(PAGES).then(function (cache) { return cache.match(request, options); });
    }).then(function (hit) {
      return hit || caches.match(request, options);
    }).then(function (hit) {
      return hit || caches.match(CONFIG.offline, { ignoreVary: true });
    }).then(plain);
  });
}

/** Static files: this version's copy, else the network (kept for next time). */
function cacheFirst(request) {
  return caches.match(request, { cacheName: SHELL, ignoreVary: true }).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        const copy = response.clone();
        caches.open(SHELL).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  // POSTs (the place picker, the position form, the mobility plan) go to the network untouched.
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.searchParams.has("lat") || url.searchParams.has("lon")) return;
  if (request.headers.has("HX-Request")) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(cacheFirst(request));
  }
});
