// Decodes QR codes from camera frames off the page's thread, so the
// USB scanner's keys and the answers are never held up by a frame.
// jsQR (npm, pinned in package-lock.json) is pure JavaScript: no
// WebAssembly, so the pages' CSP needs nothing more than 'self'.
/* global jsQR */
importScripts("/vendor/jsQR.js");

self.onmessage = (ev) => {
	const { width, height, buffer } = ev.data;
	const t0 = performance.now();
	// Printed and on-screen codes are dark on light: trying the inverted
	// image too would double the time of every frame without a code.
	const found = jsQR(new Uint8ClampedArray(buffer), width, height, { inversionAttempts: "dontInvert" });
	self.postMessage({ code: found ? found.data : null, ms: performance.now() - t0, buffer }, [buffer]);
};
