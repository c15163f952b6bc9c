// 受付: the desk on the day. A USB scanner types the code and Enter into
// a field that keeps focus; every scan is queued with its own nonce, so a
// code typed while the previous answer is on screen is never lost and a
// retry is never counted twice. The answer is said three ways at once:
// colour, a large word, and a short tone of its own. When the server
// cannot be reached (or is overloaded: 5xx, 429) the desk answers from
// the event's roster kept in IndexedDB, as the CLI's offline desk does,
// journals the scan, and uploads the journal through the batch endpoint
// by itself once the server answers again (the nonces make a second
// upload add nothing). A tablet or phone scans with its camera
// (camera.js) into the same queue. A service worker (sw.js) keeps the
// page's own files, so the desk also reloads while the server is away.
// Lookup by kana or phone, check-in by id and walk-ins need the server.
import { ApiError, api, apiAll, startPage, currentUser, el, vocab, label, message, dateTime, percent,
	checkboxes, formJSON, showErrors, clearErrors, eventOptions, scanCode, scanField, tones, fileButton } from "/app.js";
import { Camera } from "/camera.js";

if ("serviceWorker" in navigator)
	navigator.serviceWorker.register("/sw.js", { scope: "/desk.html" }).catch(() => { /* served without: online only */ });
const user = await startPage("/desk.html", { offline: true });
// Started from the service worker's copy: the session (and its CSRF
// token) is fetched again before anything is sent.
let needSession = Boolean(user.offline);
await vocab();

const SETUP_KEY = "jobfair.desk";
const TOKEN_PREFIX = "JF1-";
const TOKEN_LEN = 30;
const ANSWER_TIMEOUT_MS = 4000;
const UPLOAD_EVERY_MS = 3000;
const UPLOAD_CHUNK = 200;
// A camera code whose answer is on screen this long is not asked again.
const ANSWER_HOLD_MS = 3000;

const setup = document.getElementById("desk-setup");
const screen = document.getElementById("desk-screen");
const scanForm = document.getElementById("scan-form");
const scanInput = document.getElementById("scan");
const answerBox = document.getElementById("answer");
const live = document.getElementById("answer-live");
const history = document.getElementById("history");
const net = document.getElementById("desk-net");

// How each result is shown and heard. The tones differ in pitch and
// rhythm so a clerk looking at the person, not the screen, can tell them
// apart: rising for OK, two flat beeps for "already", a low buzz for a
// code that is not ours, falling for the other refusals.
const RESULTS = {
	checked_in: { word: "受付OK", cls: "ok", tones: [[880, 0.09], [1320, 0.14]] },
	offline_checked_in: { word: "オフライン受付", cls: "ok offline", tones: [[880, 0.09], [1320, 0.14]] },
	already_checked_in: { word: "受付済み", cls: "already", tones: [[660, 0.1], [0, 0.06], [660, 0.1]] },
	unknown_token: { word: "対象外コード", cls: "refused", tones: [[180, 0.35]], wave: "square" },
	wrong_event: { word: "別イベント", cls: "refused other", tones: [[700, 0.12], [500, 0.12], [350, 0.16]] },
	cancelled: { word: "取消済み", cls: "refused cancelled", tones: [[440, 0.1], [0, 0.05], [300, 0.25]] },
	error: { word: "読み取りエラー", cls: "refused", tones: [[180, 0.35]], wave: "square" },
	not_event_day: { word: "開催日以外", cls: "refused other", tones: [[520, 0.1], [0, 0.05], [520, 0.1], [0, 0.05], [390, 0.2]] },
};

function beep(result) {
	const spec = RESULTS[result];
	tones(spec.tones, spec.wave);
}

function isToken(code) {
	return code.length === TOKEN_LEN && code.startsWith(TOKEN_PREFIX) &&
		/^[A-Z2-7]+$/.test(code.slice(TOKEN_PREFIX.length));
}

async function sha256hex(text) {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

// IndexedDB: the roster per event and the journal of offline scans.
function idb() {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open("jobfair-desk", 1);
		req.onupgradeneeded = () => {
			req.result.createObjectStore("roster", { keyPath: "event_id" });
			const j = req.result.createObjectStore("journal", { keyPath: "nonce" });
			j.createIndex("event", "event");
		};
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}
const db = await idb();

function store(name, mode, fn) {
	return new Promise((resolve, reject) => {
		const tx = db.transaction(name, mode);
		const req = fn(tx.objectStore(name));
		tx.oncomplete = () => resolve(req && req.result);
		tx.onerror = () => reject(tx.error);
	});
}

let conf = JSON.parse(localStorage.getItem(SETUP_KEY) || "null");
let roster = null; // token_sha256 -> item, for the chosen event
let rosterDoc = null; // the roster as kept in IndexedDB (the same items)
const queue = [];
let busy = false;
let online = true;
let uploading = false;
let lastStats = null;
// Offline check-ins not yet uploaded, by kind: counted on screen at once,
// so the desk's numbers do not stand still while the server is away.
const unsent = { seeker: 0, company: 0 };

function setOnline(yes, note) {
	online = yes;
	net.className = "net " + (yes ? "up" : "down");
	net.textContent = note || (yes ? "オンライン" : "オフライン：名簿で受付中（復旧後に自動送信）");
}

// ---- counts ----
function countRow(title, n, target, extra = 0) {
	n += extra;
	return [el("dt", {}, title), el("dd", {}, el("span", { class: "big" }, String(n)),
		target ? ` / 目標 ${target}（${percent(n, target)}）` : "",
		extra ? el("span", { class: "unsent" }, `（うち未送信 ${extra}）`) : "")];
}

// The last counts the server gave are kept (no personal data), so a desk
// reloaded while the server is away still shows them.
const STATS_KEY = "jobfair.desk.stats";
function showCounts(s) {
	lastStats = s;
	localStorage.setItem(STATS_KEY, JSON.stringify({ event: conf.event, stats: s }));
	document.getElementById("counts").replaceChildren(
		...countRow("求職者", s.checked_in, s.targets && s.targets.seekers, unsent.seeker),
		...countRow("企業", s.companies ? s.companies.checked_in : 0, s.targets && s.targets.companies, unsent.company),
		...countRow("当日受付", s.walk_ins || 0, null));
}

let stream = null;
function follow() {
	if (stream) stream.close();
	stream = new EventSource(`/api/v1/events/${conf.event}/stats/stream`);
	stream.addEventListener("stats", (ev) => showCounts(JSON.parse(ev.data)));
	stream.addEventListener("end", () => stream.close());
}

// ---- answers ----
function answerLines(a) {
	const lines = [];
	if (a.name) lines.push(el("p", { class: "answer-name" }, a.name,
		a.name_kana ? el("span", { class: "answer-kana" }, a.name_kana) : ""));
	if (a.kind === "company") lines.push(el("p", {}, "企業の受付です"));
	if (a.walk_in) lines.push(el("p", { class: "answer-detail" }, `当日受付で登録しました（登録番号 ${a.registration_id}）`),
		// A walk-in without a smartphone gets a printed 受付票 (QR code) here.
		el("p", {}, fileButton("受付票をダウンロード（PDF）", "受付票",
			() => `/events/${conf.event}/print/slips.pdf?layout=page&ids=${a.registration_id}`)));
	if (a.result === "already_checked_in" && a.first_checked_in_at)
		lines.push(el("p", { class: "answer-detail" },
			`最初の受付：${dateTime(a.first_checked_in_at)}` + (a.desk ? `（${a.desk}）` : "")));
	if (a.result === "wrong_event")
		lines.push(el("p", { class: "answer-detail" }, "このイベントの登録ではありません。"));
	if (a.result === "not_event_day")
		lines.push(el("p", { class: "answer-detail" }, "今日はこのイベントの開催日ではありません。"));
	if ((a.result === "wrong_event" || a.result === "not_event_day") && a.event)
		lines.push(el("p", { class: "answer-detail" }, `この方のイベント：${a.event.title}（${dateTime(a.event.starts_at)}）`));
	if (a.result === "unknown_token")
		lines.push(el("p", { class: "answer-detail" }, "このイベントのQRコードではありません。名前かフリガナで検索してください。"));
	if (a.result === "error")
		lines.push(el("p", { class: "answer-detail" }, a.detail || "もう一度読み取ってください。"));
	if (a.result === "cancelled")
		lines.push(el("p", { class: "answer-detail" }, "この登録は取り消されています。"));
	const needs = (a.accommodations || []).map((c) => label("accommodations", c));
	if (a.supporters > 0) needs.push(`支援者 ${a.supporters}人`);
	if (needs.length && a.result !== "unknown_token")
		lines.push(el("div", { class: "answer-needs" }, el("strong", {}, "配慮："),
			el("ul", {}, ...needs.map((n) => el("li", {}, n)))));
	return lines;
}

function show(a, offline) {
	const key = offline && a.result === "checked_in" ? "offline_checked_in" : a.result;
	const spec = RESULTS[key] || RESULTS.unknown_token;
	answerBox.className = "answer " + spec.cls;
	answerBox.dataset.result = key;
	answerBox.replaceChildren(el("p", { class: "answer-word" }, spec.word), ...answerLines(a));
	beep(key);
	const needs = (a.accommodations || []).map((c) => label("accommodations", c)).join("、");
	live.textContent = [spec.word, a.name, needs && `配慮 ${needs}`].filter(Boolean).join("。");
	const item = el("li", { class: spec.cls, "data-result": key },
		el("span", { class: "h-word" }, spec.word), " ", a.name || "", " ",
		el("span", { class: "h-time" }, new Date().toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo" })));
	if (a.result === "checked_in" && a.checkin_id && !offline)
		item.append(" ", el("button", { type: "button", class: "secondary small",
			"aria-label": `${a.name || ""}の受付を取り消す`, onclick: () => undo(a, item) }, "取消"));
	history.prepend(item);
	while (history.children.length > 20) history.lastChild.remove();
	if (lastStats) showCounts(lastStats);
	if (a.counts && lastStats) {
		lastStats.checked_in = a.counts.seekers.checked_in;
		lastStats.companies = Object.assign({}, lastStats.companies, { checked_in: a.counts.companies.checked_in });
		showCounts(lastStats);
	}
}

async function undo(a, item) {
	try {
		await api("POST", `/events/${conf.event}/checkins/${a.checkin_id}/undo`);
		item.querySelector("button").remove();
		item.classList.add("undone");
		item.append(" （取り消しました）");
		live.textContent = `${a.name || ""}の受付を取り消しました`;
		const r = byId(a.kind, a.registration_id || a.company_id);
		if (r) {
			r.checked_in = false;
			rosterChanged();
		}
	} catch (e) {
		live.textContent = "取り消せませんでした：" + e.message;
	}
	scanInput.focus();
}

// ---- offline: roster and journal ----
async function loadRoster() {
	try {
		const r = await api("GET", `/events/${conf.event}/roster`);
		await store("roster", "readwrite", (s) => s.put(r));
		await useRoster(r);
	} catch (e) {
		const kept = await store("roster", "readonly", (s) => s.get(Number(conf.event)));
		if (kept) await useRoster(kept);
	}
}

// Who the server said is in is written back to the kept roster (a few
// seconds later, once for a burst of scans), so a reload while the
// server is away does not let them in a second time.
let saving = null;
function rosterChanged() {
	saving ||= setTimeout(() => {
		saving = null;
		store("roster", "readwrite", (s) => s.put(rosterDoc)).catch(() => { /* kept at the next one */ });
	}, 2000);
}

// The roster as kept, with this desk's journal on top: a person checked
// in offline before a reload is 受付済み after it.
async function useRoster(r) {
	rosterDoc = r;
	roster = {};
	for (const i of r.items) roster[i.token_sha256] = i;
	for (const j of await pending()) {
		const item = await rosterItem(j);
		if (item && !item.checked_in) Object.assign(item, { checked_in: true, first_at: j.scanned_at, desk: j.desk });
	}
	document.body.dataset.roster = String(r.items.length);
}

function byId(kind, id) {
	return (roster && Object.values(roster).find((i) => i.kind === kind && i.id === id)) || null;
}

async function rosterItem(scan) {
	if (!roster) return null;
	if (scan.registration_id) return byId("seeker", scan.registration_id);
	return isToken(scan.token) ? roster[await sha256hex(scan.token)] || null : null;
}

async function offlineAnswer(scan) {
	const base = { offline: true, counts: null };
	const item = await rosterItem(scan);
	if (!item) return { ...base, result: "unknown_token" };
	const a = { ...base, kind: item.kind, name: item.name, name_kana: item.name_kana,
		accommodations: item.accommodations, supporters: item.supporters };
	if (item.status === "cancelled") return { ...a, result: "cancelled" };
	if (item.checked_in) return { ...a, result: "already_checked_in", first_checked_in_at: item.first_at, desk: item.desk };
	item.checked_in = true;
	item.first_at = scan.scanned_at;
	item.desk = scan.desk;
	await store("journal", "readwrite", (s) => s.put({ ...scan, event: conf.event, kind: item.kind }));
	unsent[item.kind]++;
	return { ...a, result: "checked_in" };
}

async function pending() {
	return store("journal", "readonly", (s) => s.index("event").getAll(conf.event));
}

// What the API takes of a queued or journalled scan.
function scanBody(s) {
	const b = s.registration_id ? { registration_id: s.registration_id } : { token: s.token };
	return { ...b, nonce: s.nonce, desk: s.desk, scanned_at: s.scanned_at };
}

async function upload() {
	if (uploading || !conf) return;
	uploading = true;
	try {
		if (needSession) {
			// Throws while the server is still away.
			if (!(await currentUser())) {
				location.assign("/?expired=1&next=/desk.html");
				return;
			}
			needSession = false;
		}
		if (!online && (await pending()).length === 0) {
			await api("GET", `/events/${conf.event}/stats`, undefined, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
			setOnline(true);
		}
		let sent = 0, conflicts = 0;
		for (;;) {
			const scans = (await pending()).slice(0, UPLOAD_CHUNK);
			if (scans.length === 0) break;
			const body = { scans: scans.map((s) => ({ ...scanBody(s), offline: true })) };
			const r = await api("POST", `/events/${conf.event}/checkins/batch`, body, { signal: AbortSignal.timeout(15000) });
			await store("journal", "readwrite", (s) => { scans.forEach((x) => s.delete(x.nonce)); return null; });
			sent += scans.length;
			online = true;
			conflicts += r.results.filter((x) => x.conflict).length;
		}
		if (sent > 0) {
			unsent.seeker = unsent.company = 0;
			setOnline(true, `オンライン：オフライン中の${sent}件を送信しました` + (conflicts ? `（他の受付と重複 ${conflicts}件）` : ""));
			document.body.dataset.uploaded = String(Number(document.body.dataset.uploaded || 0) + sent);
			refreshStats();
		}
	} catch (e) {
		// Still away; the next round tries again.
	} finally {
		uploading = false;
	}
}

// ---- the queue ----
// what: { token } from the scanner or camera, or { registration_id }
// from a lookup.
function enqueue(what) {
	queue.push({ ...what, nonce: crypto.randomUUID(), desk: conf.desk, scanned_at: new Date().toISOString() });
	if (!busy) drain();
}

function enqueueCode(code) {
	const token = scanCode(code);
	if (token) enqueue({ token });
}

// The answer on screen: which code, since when (for the camera).
let shown = { token: null, at: 0 };

async function drain() {
	busy = true;
	while (queue.length) {
		const scan = queue.shift();
		let a = null, offline = false;
		try {
			// Away: answer at once rather than wait on each scan; the
			// upload round finds out when the server is back.
			if (!online || needSession) throw new ApiError(0, null);
			a = await api("POST", `/events/${conf.event}/checkins`, scanBody(scan),
				{ signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
			if (!online) setOnline(true);
			if (a.result === "checked_in" || a.result === "already_checked_in") {
				const r = byId(a.kind, a.registration_id || a.company_id);
				if (r && !r.checked_in) {
					r.checked_in = true;
					rosterChanged();
				}
			}
		} catch (e) {
			if (e.status !== 0 && e.status !== 429 && !(e.status >= 500)) {
				a = { result: "error", detail: message(e.message) };
			} else {
				setOnline(false);
				offline = true;
				a = await offlineAnswer(scan);
			}
		}
		show(a, offline);
		shown = { token: scan.token || null, at: performance.now() };
		document.body.dataset.answers = String(Number(document.body.dataset.answers || 0) + 1);
	}
	busy = false;
}

// ---- setup ----
async function refreshStats() {
	try { showCounts(await api("GET", `/events/${conf.event}/stats`)); } catch (e) { /* offline */ }
}

async function start() {
	setup.hidden = true;
	screen.hidden = false;
	const ev = (await apiAll("/events").catch(() => [])).find((e) => String(e.id) === String(conf.event));
	document.getElementById("desk-where").textContent = `${ev ? ev.title : conf.title || "イベント " + conf.event}　受付：${conf.desk}`;
	setOnline(!needSession);
	for (const j of await pending()) unsent[j.kind || "seeker"]++;
	const kept = JSON.parse(localStorage.getItem(STATS_KEY) || "null");
	if (kept && kept.event === conf.event) showCounts(kept.stats);
	await Promise.all([loadRoster(), refreshStats()]);
	follow();
	scanInput.focus();
	setInterval(upload, UPLOAD_EVERY_MS);
	upload();
}

scanField(scanForm, scanInput, screen, enqueueCode);
answerBox.addEventListener("click", () => scanInput.focus());

// ---- the tools: camera, lookup, walk-in ----
// A button that shows and hides its panel (aria-expanded says which).
function toggle(buttonId, panel, onOpen, onClose) {
	const button = document.getElementById(buttonId);
	const set = (open) => {
		panel.hidden = !open;
		button.setAttribute("aria-expanded", String(open));
		if (open) onOpen(); else { onClose(); button.focus(); }
	};
	button.addEventListener("click", () => set(panel.hidden));
	return set;
}

const cameraPanel = document.getElementById("camera");
const cameraStatus = document.getElementById("camera-status");
const camera = new Camera(document.getElementById("camera-video"), (code) => {
	const token = scanCode(code);
	// Still answering this code, or its answer still on screen: once.
	if (queue.some((q) => q.token === token)) return;
	if (token === shown.token && performance.now() - shown.at < ANSWER_HOLD_MS) return;
	enqueueCode(code);
}, (text, ok) => {
	cameraStatus.textContent = text;
	cameraStatus.className = ok ? "" : "field-error";
	document.body.dataset.camera = camera.running ? "on" : (ok ? "off" : "failed");
});
const showCamera = toggle("camera-open", cameraPanel, () => camera.start(), () => camera.stop());
document.getElementById("camera-close").addEventListener("click", () => showCamera(false));
// The camera is off whenever the page is not in front; back on with it.
document.addEventListener("visibilitychange", () => {
	if (document.hidden) camera.stop(false);
	else if (!cameraPanel.hidden) camera.start();
});
window.addEventListener("pagehide", () => camera.stop(false));

const lookupPanel = document.getElementById("lookup-panel");
const lookupForm = document.getElementById("lookup");
const lookupResults = document.getElementById("lookup-results");
const showLookup = toggle("lookup-open", lookupPanel, () => lookupForm.elements.q.focus(), () => {});
document.getElementById("lookup-close").addEventListener("click", () => showLookup(false));

function lookupRow(r) {
	const state = r.status === "cancelled" ? "取消済み" : r.checked_in ? "受付済み" : "未受付";
	return el("li", { "data-id": r.id },
		el("span", { class: "lk-name" }, r.name), el("span", {}, r.name_kana),
		el("span", {}, `登録番号 ${r.id}`), el("span", { class: "lk-state" }, state),
		el("button", { type: "button", disabled: r.status === "cancelled",
			"aria-label": `${r.name}（${r.name_kana}）を受付する`,
			onclick: () => { enqueue({ registration_id: r.id }); scanInput.focus(); } }, "受付する"));
}

lookupForm.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	clearErrors(lookupForm);
	const q = lookupForm.elements.q.value.trim();
	if (!q) {
		showErrors(lookupForm, new ApiError(422, { error: { fields: { q: "is required" } } }));
		return;
	}
	try {
		const r = await api("GET", `/events/${conf.event}/lookup?q=${encodeURIComponent(q)}`);
		lookupResults.replaceChildren(r.items.length === 0
			? el("p", {}, `「${q}」に当てはまる方はいません。`)
			: el("ul", { class: "lookup-list", "aria-label": `「${q}」の検索結果 ${r.items.length}件` }, r.items.map(lookupRow)));
	} catch (e) {
		if (e.status === 429) e.fields = { q: "検索が多すぎます。少し待ってからもう一度お試しください。" };
		showErrors(lookupForm, e);
	}
});

// A walk-in keeps its nonce until the server has it: pressing 登録 again
// after a lost answer registers the person once.
const walkin = document.getElementById("walkin");
let walkinNonce = crypto.randomUUID();
checkboxes("walkin-categories", "categories", "seeker_categories");
const showWalkin = toggle("walkin-open", walkin, () => { clearErrors(walkin); walkin.elements.name.focus(); }, () => {});
document.getElementById("walkin-close").addEventListener("click", () => showWalkin(false));
walkin.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const body = { ...formJSON(walkin), nonce: walkinNonce, desk: conf.desk };
	try {
		const r = await api("POST", `/events/${conf.event}/walkins`, body, { signal: AbortSignal.timeout(15000) });
		walkinNonce = crypto.randomUUID();
		walkin.reset();
		showWalkin(false);
		show({ result: "checked_in", kind: "seeker", walk_in: true, name: r.name, name_kana: r.name_kana,
			registration_id: r.id, checkin_id: r.checkin && r.checkin.id, accommodations: r.accommodations,
			supporters: r.supporters, counts: r.counts }, false);
		refreshStats();
		scanInput.focus();
	} catch (e) {
		showErrors(walkin, e);
	}
});

document.getElementById("desk-change").addEventListener("click", () => {
	localStorage.removeItem(SETUP_KEY);
	location.reload();
});

setup.addEventListener("submit", (ev) => {
	ev.preventDefault();
	const desk = setup.elements.desk.value.trim();
	if (!setup.elements.event.value || !desk) {
		setup.elements.desk.setAttribute("aria-invalid", "true");
		setup.elements.desk.focus();
		return;
	}
	// The event's name is kept too: the desk may start without the server.
	conf = { event: Number(setup.elements.event.value), desk, title: setup.elements.event.selectedOptions[0].textContent };
	localStorage.setItem(SETUP_KEY, JSON.stringify(conf));
	start();
});

if (conf) {
	await start();
} else {
	await eventOptions(setup.elements.event);
	setup.hidden = false;
	setup.elements.desk.focus();
}
document.body.dataset.ready = "1";
