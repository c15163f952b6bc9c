// The desk page's service worker (scope /desk.html): the page, its
// scripts, styles and QR decoder load when the server is away, so a
// desk that reloads, or a tablet that restarts, keeps working offline
// from the roster and journal in IndexedDB.
//
// Network first, always: online, every file comes from jobfaird (a
// conditional request on its ETag, as without a service worker), and the
// copy kept here is replaced by what came; so a new version is seen on
// the next reload, never a stale page for ever. The cache answers only
// when the network does not. API answers are not kept here, except the
// vocabulary (labels, no personal data): the roster lives in IndexedDB.
const CACHE = "jobfair-desk";
const SHELL = ["/desk.html", "/app.js", "/app.css", "/desk.js", "/camera.js", "/qr-worker.js",
	"/vendor/jsQR.js", "/i18n.js", "/api/v1/vocabulary"];
// A network that drops packets silently must not hold the page: after
// this long the kept copy answers.
const NETWORK_MS = 4000;

// Each file on its own: one that cannot be had now (the decoder not
// installed) is fetched again on the next load rather than keeping the
// rest out of the cache.
self.addEventListener("install", (ev) => {
	ev.waitUntil(caches.open(CACHE).then((c) => Promise.allSettled(SHELL.map((u) => c.add(u))))
		.then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
	ev.waitUntil(self.clients.claim());
});

function kept(url) {
	const u = new URL(url);
	return u.origin === self.location.origin && SHELL.includes(u.pathname);
}

async function networkFirst(req) {
	const cache = await caches.open(CACHE);
	const key = new URL(req.url).pathname;
	try {
		const res = await fetch(req, { signal: AbortSignal.timeout(NETWORK_MS) });
		if (res.ok) await cache.put(key, res.clone());
		// A proxy answering for a jobfaird that is down is the server away too.
		if (res.status >= 500) return (await cache.match(key)) || res;
		return res;
	} catch (e) {
		const hit = await cache.match(key);
		if (hit) return hit;
		throw e;
	}
}

self.addEventListener("fetch", (ev) => {
	const req = ev.request;
	if (req.method !== "GET" || !kept(req.url)) return; // the browser's own way
	ev.respondWith(networkFirst(req));
});
