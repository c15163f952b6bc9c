// The device's camera as a QR scanner: the rear camera when there is
// one, frames scaled down and decoded in a worker (qr-worker.js), one
// frame in flight at a time. A code held in front of the camera is seen
// on many frames; it is handed on once, and again only after a frame
// without it and REPEAT_MS since it was last seen (a slow machine that
// decodes a frame a second has not looked away).
const REPEAT_MS = 1000;
const MAX_SIDE = 640;
const FRAME_MS = 80;

// What went wrong, as the clerk can act on it.
function why(e) {
	switch (e && e.name) {
	case "NotAllowedError":
	case "SecurityError":
		return "カメラの使用が許可されていません。ブラウザーの設定でこのページにカメラを許可してから、もう一度押してください。";
	case "NotFoundError":
	case "OverconstrainedError":
		return "カメラが見つかりません。USBスキャナーか「名前・電話で探す」を使ってください。";
	case "NotReadableError":
	case "AbortError":
		return "カメラを使えません。ほかのアプリがカメラを使っていないか確かめてください。";
	default:
		return "カメラを使えませんでした。";
	}
}

export class Camera {
	// onCode(text): a code seen; onStatus(text, ok): what to tell.
	constructor(video, onCode, onStatus) {
		this.video = video;
		this.onCode = onCode;
		this.onStatus = onStatus;
		this.stream = null;
		this.worker = null;
		this.canvas = document.createElement("canvas");
		this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
		this.last = null;
		this.lastSeen = 0;
		this.gone = true; // a frame without this.last since it was seen
		this.frames = 0;
		this.decodeMs = 0;
	}

	get running() { return this.stream !== null; }

	async start() {
		if (this.stream) return true;
		if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
			this.onStatus("この接続ではカメラを使えません（https:// で開いたページでだけ使えます）。", false);
			return false;
		}
		try {
			this.stream = await navigator.mediaDevices.getUserMedia({
				audio: false, video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } } });
		} catch (e) {
			this.stream = null;
			this.onStatus(why(e), false);
			return false;
		}
		if (!this.worker) {
			this.worker = new Worker("/qr-worker.js");
			this.worker.onmessage = (ev) => this.decoded(ev.data);
			this.worker.onerror = () => {
				this.onStatus("QRコードの読み取り部品を読み込めませんでした。USBスキャナーを使ってください。", false);
				this.stop(false);
			};
		}
		this.video.srcObject = this.stream;
		this.video.hidden = false;
		try { await this.video.play(); } catch (e) { /* autoplay of a muted video: allowed */ }
		this.onStatus("QRコードをカメラに向けてください。", true);
		this.grab();
		return true;
	}

	// Stops the camera (the light goes off); told unless quiet.
	stop(tell = true) {
		if (this.stream) for (const t of this.stream.getTracks()) t.stop();
		this.stream = null;
		this.video.srcObject = null;
		this.video.hidden = true; // no black box where the picture was
		clearTimeout(this.timer);
		if (tell) this.onStatus("カメラを止めました。", true);
	}

	grab() {
		if (!this.stream) return;
		const v = this.video;
		if (v.readyState < 2 || v.videoWidth === 0) {
			this.timer = setTimeout(() => this.grab(), FRAME_MS);
			return;
		}
		const scale = Math.min(1, MAX_SIDE / Math.max(v.videoWidth, v.videoHeight));
		const w = Math.round(v.videoWidth * scale), h = Math.round(v.videoHeight * scale);
		if (this.canvas.width !== w || this.canvas.height !== h) {
			this.canvas.width = w;
			this.canvas.height = h;
		}
		this.ctx.drawImage(v, 0, 0, w, h);
		const img = this.ctx.getImageData(0, 0, w, h);
		this.worker.postMessage({ width: w, height: h, buffer: img.data.buffer }, [img.data.buffer]);
	}

	decoded({ code, ms }) {
		this.frames++;
		this.decodeMs += ms;
		// Frames decoded and their mean time, for the tests and the curious.
		this.video.dataset.frames = String(this.frames);
		this.video.dataset.decodeMs = (this.decodeMs / this.frames).toFixed(1);
		const now = performance.now();
		if (code) {
			const again = code === this.last && (!this.gone || now - this.lastSeen < REPEAT_MS);
			this.last = code;
			this.lastSeen = now;
			this.gone = false;
			if (!again) this.onCode(code);
		} else {
			this.gone = true;
		}
		this.timer = setTimeout(() => this.grab(), FRAME_MS);
	}
}
