/* global self, caches, Response */
/**
 * boxoffice's service worker: keeps the app shell (index.html and the built assets) so the web app opens
 * without a network. Tickets and the door's manifest are kept by the pages themselves (localStorage); the API
 * and the socket are never cached here.
 *
 * - the page (navigation): network first, 4 s at most, else the saved index.html;
 * - /assets/* (names carry a content hash, never change): cache first, saved on first use;
 * - every fresh index.html names the assets of this build: older cached assets are dropped then.
 */
const CACHE = 'boxoffice-shell-v1';
const NETWORK_WAIT_MS = 4000;

const assetsOf = (html) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

async function keepShell(html) {
  const cache = await caches.open(CACHE);
  const wanted = new Set(assetsOf(html));
  await Promise.all([...wanted].map(async (url) => (await cache.match(url, { ignoreVary: true })) || cache.add(url)));
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !wanted.has(path)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch('/', { cache: 'no-cache' });
      const html = await res.clone().text();
      await (await caches.open(CACHE)).put('/', res);
      await keepShell(html);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('network too slow')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const res = await withTimeout(fetch(request), NETWORK_WAIT_MS);
    if (res.ok) {
      const copy = res.clone();
      copy
        .text()
        .then(async (html) => {
          await cache.put('/', new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
          await keepShell(html);
        })
        .catch(() => undefined);
    }
    return res;
  } catch (err) {
    const saved = await cache.match('/', { ignoreVary: true });
    if (saved) return saved;
    throw err;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(request, { ignoreVary: true });
  if (saved) return saved;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) event.respondWith(page(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
});
