// 受付: the desk on the day. A USB scanner types the code and Enter into
// a field that keeps focus; every scan is queued with its own nonce, so a
// code typed while the previous answer is on screen is never lost and a
// retry is never counted twice. The answer is said three ways at once:
// colour, a large word, and a short tone of its own. When the server
// cannot be reached (or is overloaded: 5xx, 429) the desk answers from
// the event's roster kept in IndexedDB, as the CLI's offline desk does,
// journals the scan, and uploads the journal through the batch endpoint
// by itself once the server answers again (the nonces make a second
// upload add nothing).
import { ApiError, api, apiAll, startPage, el, vocab, label, message, dateTime, percent, eventOptions, scanField, tones } from "/app.js";

await startPage("/desk.html");
await vocab();

const SETUP_KEY = "jobfair.desk";
const TOKEN_PREFIX = "JF1-";
const TOKEN_LEN = 30;
const ANSWER_TIMEOUT_MS = 4000;
const UPLOAD_EVERY_MS = 3000;
const UPLOAD_CHUNK = 200;

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

function showCounts(s) {
	lastStats = s;
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
		const r = roster && Object.values(roster).find((i) => i.kind === a.kind && i.id === (a.registration_id || a.company_id));
		if (r) r.checked_in = false;
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
		useRoster(r);
	} catch (e) {
		const kept = await store("roster", "readonly", (s) => s.get(Number(conf.event)));
		if (kept) useRoster(kept);
	}
}

function useRoster(r) {
	roster = {};
	for (const i of r.items) roster[i.token_sha256] = i;
	document.body.dataset.roster = String(r.items.length);
}

async function offlineAnswer(scan) {
	const base = { offline: true, counts: null };
	if (!roster || !isToken(scan.token)) return { ...base, result: "unknown_token" };
	const hash = await sha256hex(scan.token);
	const item = roster[hash];
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

async function upload() {
	if (uploading || !conf) return;
	uploading = true;
	try {
		if (!online && (await pending()).length === 0) {
			await api("GET", `/events/${conf.event}/stats`, undefined, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
			setOnline(true);
		}
		let sent = 0, conflicts = 0;
		for (;;) {
			const scans = (await pending()).slice(0, UPLOAD_CHUNK);
			if (scans.length === 0) break;
			const body = { scans: scans.map((s) => ({ token: s.token, nonce: s.nonce, desk: s.desk, scanned_at: s.scanned_at, offline: true })) };
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
function enqueue(token) {
	queue.push({ token, nonce: crypto.randomUUID(), desk: conf.desk, scanned_at: new Date().toISOString() });
	if (!busy) drain();
}

async function drain() {
	busy = true;
	while (queue.length) {
		const scan = queue.shift();
		let a = null, offline = false;
		try {
			// Away: answer at once rather than wait on each scan; the
			// upload round finds out when the server is back.
			if (!online) throw new ApiError(0, null);
			a = await api("POST", `/events/${conf.event}/checkins`,
				{ token: scan.token, nonce: scan.nonce, desk: scan.desk, scanned_at: scan.scanned_at },
				{ signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
			if (!online) setOnline(true);
			if (a.result === "checked_in" || a.result === "already_checked_in") {
				const r = roster && Object.values(roster).find((i) => i.kind === a.kind && i.id === (a.registration_id || a.company_id));
				if (r) r.checked_in = true;
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
	document.getElementById("desk-where").textContent = `${ev ? ev.title : "イベント " + conf.event}　受付：${conf.desk}`;
	setOnline(true);
	for (const j of await pending()) unsent[j.kind || "seeker"]++;
	await Promise.all([loadRoster(), refreshStats()]);
	follow();
	scanInput.focus();
	setInterval(upload, UPLOAD_EVERY_MS);
	upload();
}

scanField(scanForm, scanInput, screen, enqueue);
answerBox.addEventListener("click", () => scanInput.focus());

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
	conf = { event: Number(setup.elements.event.value), desk };
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
