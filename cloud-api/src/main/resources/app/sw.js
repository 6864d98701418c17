// Latchkey borrower app service worker. Scope: /t/{tenant}/app/ (the pages of the app only).
// It caches the app shell (the files below) and nothing else: network first, the cached copy when offline.
// It never touches API calls (/t/{tenant}/session, bookings, cars, commands): they go to the network as if it
// did not exist. The one piece of data kept for offline opening is the current-booking snapshot, which the app
// itself writes into the cache "lk-app-booking" (see app.js, saveSnapshot) and deletes at sign-out.
const SHELL_CACHE = 'lk-app-shell-v4';
const SHELL = ['./', 'app.js', 'common.js', 'key.js', 'qrcodegen.js', 'app.css', 'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png', 'lib/leaflet.js', 'lib/leaflet.css'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith('lk-app-shell-') && n !== SHELL_CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

const scope = new URL(self.registration.scope);
const shellUrls = new Set(SHELL.map((f) => new URL(f, scope).href));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  url.hash = '';
  url.search = '';
  const key = request.mode === 'navigate' && url.href.startsWith(scope.href) ? scope.href : url.href;
  if (!shellUrls.has(key)) {
    return; // not the shell: the network alone, never cached
  }
  event.respondWith(fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(SHELL_CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  }).catch(() => caches.open(SHELL_CACHE).then((cache) => cache.match(key))
    .then((cached) => cached || new Response('Offline', {status: 503, headers: {'Content-Type': 'text/plain'}}))));
});
