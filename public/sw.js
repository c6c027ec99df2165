/* Ledgerlight service worker: the app shell and the pages a contact visited open offline.
 * Assets under /build/ are content-hashed (cache first, kept); the replica worker and its wasm
 * are revalidated; HTML pages are network first, falling back to the last copy of that page.
 * Caches holding customer data ("pages") are deleted at logout by the page (wipeReplicas). */
const ASSETS = "ledgerlight-assets-v1";
const PAGES = "ledgerlight-pages-v1";
// PDFs the contact opened recently, at most MAX_PDFS (the server lists them at /documents/recent).
const PDFS = "ledgerlight-pdfs-v1";
const MAX_PDFS = 20;
const PORTAL_PAGES = ["/overview", "/orders", "/invoices", "/shipments", "/documents", "/quotes"];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([ASSETS, PAGES, PDFS]);
      for (const key of await caches.keys()) if (!keep.has(key)) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  // After sign-in the page asks for the main lists, so they open offline even if never visited.
  if (event.data?.type === "warm-pages") event.waitUntil(warmPages());
});

async function warmPages() {
  const cache = await caches.open(PAGES);
  await Promise.all(
    PORTAL_PAGES.map(async (path) => {
      const response = await fetch(path, { credentials: "same-origin", redirect: "manual" }).catch(() => null);
      if (response && response.status === 200) await cache.put(path, response);
    }),
  );
  const recent = await fetch("/documents/recent", { credentials: "same-origin" }).catch(() => null);
  if (!recent || !recent.ok) return;
  const { documents } = await recent.json();
  const pdfs = await caches.open(PDFS);
  for (const doc of documents.slice(0, MAX_PDFS).reverse()) {
    if (await pdfs.match(doc.url)) continue;
    const response = await fetch(doc.url, { credentials: "same-origin" }).catch(() => null);
    if (response && response.status === 200) await putBounded(pdfs, doc.url, response);
  }
}

/** Keeps the newest MAX_PDFS entries (Cache keys come back in insertion order). */
async function putBounded(cache, key, response) {
  await cache.delete(key);
  await cache.put(key, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PDFS))) await cache.delete(old);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.endsWith("/pdf")) {
    event.respondWith(networkFirstPdf(request));
  } else if (url.pathname.startsWith("/build/")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith("/replica/") || url.pathname === "/favicon.ico") {
    event.respondWith(networkFirst(request, ASSETS));
  } else if (request.mode === "navigate" && !url.pathname.startsWith("/admin") && !url.pathname.startsWith("/login")) {
    event.respondWith(networkFirst(request, PAGES));
  }
});

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(ASSETS)).put(request, response.clone());
  return response;
}

async function networkFirstPdf(request) {
  const key = new URL(request.url).pathname;
  try {
    const response = await fetch(request);
    if (response.status === 200) await putBounded(await caches.open(PDFS), key, response.clone());
    return response;
  } catch (error) {
    const cached = await (await caches.open(PDFS)).match(key);
    if (cached) return cached;
    throw error;
  }
}

async function networkFirst(request, cacheName) {
  try {
    const response = await fetch(request);
    // Only real pages: a redirect to /login (signed out) must not replace the cached copy.
    if (response.status === 200 && !response.redirected) (await caches.open(cacheName)).put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}
