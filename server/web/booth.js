// 面談: a company's booth on the day and its queue, the digital 面談カード.
// A USB scanner types a job seeker's code and Enter into the scan field
// (which keeps focus, as on the desk page): the person joins the booth's
// queue and is told their place. 次へ calls the next; the called are
// marked 面談済み (the interview is recorded) or 不在. Every request
// carries its own nonce and is retried with it, so a retry never queues
// or calls anyone twice; what two staff pressing 次へ together get is the
// database's business (two different people). The booth sees the names
// and kana of the people in its queue, nothing more.
//
// Opened two ways: by signed-in staff, or by a booth's access link,
// /booth.html#link=jfl_… (server/links.h), on a tablet with no staff
// account: the link names the event and the company; the secret stays
// in the fragment and goes as a bearer token. A revoked link stops the
// page, which says so.
import { api, apiAll, startPage, el, message, dateTime, eventOptions, scanField, tones, showErrors } from "/app.js";

const secret = new URLSearchParams(location.hash.slice(1)).get("link");
const linkOpts = secret ? { headers: { Authorization: "Bearer " + secret } } : {};
if (!secret) await startPage("/booth.html");

const SETUP_KEY = "jobfair.booth";
const RETRIES = 3;
const REFRESH_MS = 30000;
// A link may not open the stats stream: its page reads the queue this often.
const LINK_REFRESH_MS = 5000;
const REVOKED = "このリンクは取り消されたか、有効期限が切れました。主催者に新しいリンクを依頼してください。";

const setup = document.getElementById("booth-setup");
const screen = document.getElementById("booth-screen");
const scanForm = document.getElementById("scan-form");
const scanInput = document.getElementById("scan");
const answerBox = document.getElementById("answer");
const live = document.getElementById("answer-live");
const nextButton = document.getElementById("call-next");

const RISING = [[880, 0.09], [1320, 0.14]];
const TWICE = [[660, 0.1], [0, 0.06], [660, 0.1]];
const CHIME = [[660, 0.12], [880, 0.12], [1100, 0.22]];
const BUZZ = [[180, 0.35]];
// Each answer: its word, colour class and tone (see app.css's .answer).
const RESULTS = {
	queued: { word: "列に入りました", cls: "ok", tones: RISING },
	already_queued: { word: "もう並んでいます", cls: "already", tones: TWICE },
	interviewed: { word: "面談済みの方です", cls: "already", tones: TWICE },
	called: { word: "呼び出し", cls: "ok called", tones: CHIME },
	empty: { word: "待っている方はいません", cls: "idle", tones: [[440, 0.15]] },
	done: { word: "面談済みにしました", cls: "ok", tones: RISING },
	already_done: { word: "面談済みです", cls: "already", tones: TWICE },
	absent: { word: "不在にしました", cls: "refused cancelled", tones: [[440, 0.1], [300, 0.2]] },
	already_absent: { word: "不在です", cls: "refused cancelled", tones: TWICE },
	error: { word: "できませんでした", cls: "refused", tones: BUZZ, wave: "square" },
	revoked: { word: "リンク無効", cls: "refused", tones: BUZZ, wave: "square" },
};

let conf = JSON.parse(localStorage.getItem(SETUP_KEY) || "null");
let waitingCount = null;
const base = () => `/events/${conf.event}/companies/${conf.company}/queue`;

// A write with its nonce, sent again with the same nonce while the
// server cannot be reached or is busy: the nonce makes the repeat harmless.
async function send(path, body) {
	const payload = { ...body, nonce: crypto.randomUUID() };
	for (let i = 1; ; i++) {
		try {
			return await api("POST", path, payload, { ...linkOpts, signal: AbortSignal.timeout(8000) });
		} catch (e) {
			const again = e.status === 0 || e.status === 429 || e.status >= 500;
			if (!again || i >= RETRIES) throw e;
			await new Promise((r) => setTimeout(r, 500 * i));
		}
	}
}

function place(entry) {
	return entry && entry.place ? `${entry.place}番目` : "";
}

function otherQueues(list) {
	return (list || []).map((q) => (q.booth ? `${q.booth} ` : "") + q.company_name +
		(q.state === "called" ? "（呼び出し中）" : `（${q.place}番目）`)).join("、");
}

function show(result, a, detail) {
	const spec = RESULTS[result] || RESULTS.error;
	const e = a && a.entry;
	const lines = [el("p", { class: "answer-word" }, spec.word)];
	if (e && e.name)
		lines.push(el("p", { class: "answer-name" }, e.name + " さん",
			e.name_kana ? el("span", { class: "answer-kana" }, e.name_kana) : ""));
	if (result === "queued" || result === "already_queued")
		lines.push(el("p", { class: "answer-place" }, e.state === "called" ? "いま呼び出し中です" : `待ち順 ${place(e)}`));
	if (result === "called")
		lines.push(el("p", { class: "answer-detail" }, "この方をお呼びください。面談が終わったら「面談済み」、来ない場合は「不在」を押します。"));
	if (result === "interviewed")
		lines.push(el("p", { class: "answer-detail" }, "このブースでの面談はもう記録されています。"));
	if (a && a.elsewhere && a.elsewhere.length && (result === "queued" || result === "already_queued"))
		lines.push(el("p", { class: "answer-detail" }, `ほかに並んでいる列：${otherQueues(a.elsewhere)}`));
	if (detail) lines.push(el("p", { class: "answer-detail" }, detail));
	answerBox.className = "answer " + spec.cls;
	answerBox.dataset.result = result;
	answerBox.replaceChildren(...lines);
	tones(spec.tones, spec.wave);
	live.textContent = [spec.word, e && e.name && e.name + " さん",
		(result === "queued" || result === "already_queued") && place(e) && `待ち順 ${place(e)}`, detail]
		.filter(Boolean).join("。");
	document.body.dataset.answers = String(Number(document.body.dataset.answers || 0) + 1);
}

// The link no longer works: nothing more can be done on this page, and
// the names on it are taken off the screen.
function stopped() {
	show("revoked", null, REVOKED);
	for (const id of ["called", "waiting", "booth-figures"]) document.getElementById(id).replaceChildren();
	document.querySelector(".call-actions").hidden = true;
	scanForm.hidden = true;
	document.body.dataset.stopped = "1";
}

function showError(e) {
	if (secret && e.status === 401) { stopped(); return; }
	show("error", null, message(e.fields && Object.values(e.fields)[0]) || message(e.message) || "もう一度お試しください。");
}

// ---- the queue on screen ----
function figures(b) {
	waitingCount = b.waiting;
	document.getElementById("booth-figures").replaceChildren(
		el("dt", {}, "待ち"), el("dd", {}, el("span", { class: "big", id: "fig-waiting" }, String(b.waiting)), "人"),
		el("dt", {}, "呼び出し中"), el("dd", {}, el("span", { class: "big" }, String(b.called)), "人"),
		el("dt", {}, "面談数"), el("dd", {}, el("span", { class: "big", id: "fig-interviews" }, String(b.interviews)), "件"));
}

function calledItem(e) {
	return el("li", { "data-entry": e.id },
		el("p", { class: "q-name" }, e.name + " さん", el("span", { class: "answer-kana" }, e.name_kana || "")),
		el("p", { class: "q-time" }, `呼び出し ${dateTime(e.called_at)}`),
		el("div", { class: "actions" },
			el("button", { type: "button", class: "done", "aria-label": `${e.name}さんを面談済みにする`,
				onclick: () => act(`${base()}/${e.id}/done`) }, "面談済み"),
			el("button", { type: "button", class: "secondary absent", "aria-label": `${e.name}さんを不在にする`,
				onclick: () => act(`${base()}/${e.id}/absent`) }, "不在")));
}

function waitingItem(e) {
	return el("li", { "data-entry": e.id },
		el("span", { class: "q-place" }, `${e.place}番`), " ",
		el("span", { class: "q-name" }, e.name + " さん"), " ",
		el("span", { class: "answer-kana" }, e.name_kana || ""), " ",
		el("span", { class: "q-time" }, `受付 ${dateTime(e.enqueued_at).slice(-5)}`));
}

async function refresh() {
	let q;
	try { q = await api("GET", base(), undefined, linkOpts); } catch (e) {
		if (secret && e.status === 401) stopped();
		return;
	}
	figures(q.booth);
	const called = q.items.filter((e) => e.state === "called");
	const waiting = q.items.filter((e) => e.state === "waiting");
	document.getElementById("called").replaceChildren(...(called.length ? called.map(calledItem)
		: [el("li", { class: "none" }, "呼び出し中の方はいません")]));
	document.getElementById("waiting").replaceChildren(...waiting.map(waitingItem));
	if (!waiting.length) document.getElementById("waiting").replaceChildren(el("li", { class: "none" }, "待っている方はいません"));
	document.body.dataset.waiting = String(q.booth.waiting);
	return q;
}

// ---- actions: scans in order, 次へ, 面談済み, 不在 ----
const scans = [];
let scanning = false;
async function scan(code) {
	scans.push(code);
	if (scanning) return;
	scanning = true;
	while (scans.length) {
		const token = scans.shift();
		try {
			const a = await send(base(), { token });
			figures(a.booth);
			show(a.result, a);
		} catch (e) {
			showError(e);
		}
	}
	scanning = false;
	refresh();
}

async function act(path) {
	try {
		const a = await send(path, {});
		figures(a.booth);
		show(a.result, a);
	} catch (e) {
		showError(e);
	}
	await refresh();
	scanInput.focus();
}

nextButton.addEventListener("click", async () => {
	nextButton.disabled = true;
	try { await act(`${base()}/next`); } finally { nextButton.disabled = false; scanInput.focus(); }
});

// Another staff member's 次へ or scan moves the booth's waiting count in
// the stats stream: then the list is read again. A slow round catches
// what the count does not show (a colleague's 面談済み).
function follow() {
	if (secret) { setInterval(refresh, LINK_REFRESH_MS); return; }
	const stream = new EventSource(`/api/v1/events/${conf.event}/stats/stream`);
	stream.addEventListener("stats", (ev) => {
		const mine = (JSON.parse(ev.data).queues || []).find((q) => String(q.company_id) === String(conf.company));
		if (mine && mine.waiting !== waitingCount) refresh();
	});
	stream.addEventListener("end", () => stream.close());
	setInterval(refresh, REFRESH_MS);
}

// ---- setup ----
async function companyOptions() {
	const select = setup.elements.company;
	const booths = (await apiAll(`/events/${setup.elements.event.value}/companies`)).filter((b) => b.status !== "cancelled");
	booths.sort((a, b) => (a.booth || "").localeCompare(b.booth || "", "ja") || a.company_name_kana.localeCompare(b.company_name_kana || "", "ja"));
	select.replaceChildren(...booths.map((b) => el("option", { value: b.company_id }, (b.booth ? `${b.booth}　` : "") + b.company_name)));
}

async function start(linkEvent) {
	setup.hidden = true;
	screen.hidden = false;
	const q = await refresh();
	const ev = linkEvent || (await apiAll("/events").catch(() => [])).find((e) => String(e.id) === String(conf.event));
	const b = q ? q.booth : {};
	document.getElementById("booth-where").textContent =
		`${ev ? ev.title : "イベント " + conf.event}　ブース：${b.booth ? b.booth + " " : ""}${b.company_name || ""}`;
	document.getElementById("booth-title").textContent = `面談 ${b.company_name || ""}`;
	document.title = `面談 ${b.company_name || ""} — 就職面接会 管理`;
	follow();
	scanInput.focus();
}

scanField(scanForm, scanInput, screen, scan);
answerBox.addEventListener("click", () => scanInput.focus());
document.getElementById("booth-change").addEventListener("click", () => {
	localStorage.removeItem(SETUP_KEY);
	location.reload();
});

setup.elements.event.addEventListener("change", companyOptions);
setup.addEventListener("submit", (ev) => {
	ev.preventDefault();
	if (!setup.elements.event.value || !setup.elements.company.value) {
		showErrors(setup, { fields: { company: setup.elements.event.value ? "このイベントには出展企業がありません" : "is required" } });
		return;
	}
	conf = { event: Number(setup.elements.event.value), company: Number(setup.elements.company.value) };
	localStorage.setItem(SETUP_KEY, JSON.stringify(conf));
	start();
});

if (secret) {
	// No staff session, no menu: the event and the booth are the link's.
	document.body.classList.add("by-link");
	document.getElementById("booth-change").hidden = true;
	try {
		const link = await api("GET", "/link", undefined, linkOpts);
		if (link.kind !== "booth" || !link.company) throw Object.assign(new Error(), { status: 403 });
		conf = { event: link.event.id, company: link.company.id };
		await start(link.event);
	} catch (e) {
		screen.hidden = false;
		if (e.status === 401 || e.status === 403) stopped();
		else show("error", null, "サーバーに接続できません。ネットワークを確認して、再読み込みしてください。");
	}
} else if (conf) {
	await start();
} else {
	await eventOptions(setup.elements.event);
	if (setup.elements.event.value) await companyOptions();
	setup.hidden = false;
	setup.elements.event.focus();
}
document.body.dataset.ready = "1";
