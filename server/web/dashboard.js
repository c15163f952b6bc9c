// 受付状況: the event's numbers for a projector — present against the
// targets as bars with 達成率, walk-ins and registrations, arrivals per
// half hour, by category when the role may see them. Aggregates only,
// never a person. Kept up to date by the stats stream.
//
// Opened two ways: by signed-in staff (the session cookie), or by an
// access link, /dashboard.html#link=jfl_… (links.h), on a projector PC
// that holds no staff session. The secret stays in the fragment, which a
// browser never sends; the page sends it as a bearer token, and to the
// stream (an EventSource cannot send headers) as ?link=, which the
// server's access log does not write. A revoked or expired link stops
// the page, and the page says so.
import { api, startPage, el, vocab, label, dateTime, percent, queryParam, table, eventOptions } from "/app.js";

const sel = document.getElementById("dash-event");
const updated = document.getElementById("dash-updated");
const secret = new URLSearchParams(location.hash.slice(1)).get("link");
const linkHeaders = secret ? { Authorization: "Bearer " + secret } : undefined;
let stream = null;
let eventId = null;
let retry = null;
let last = [];

// A bar said in words as well (role=img with the figures): the colour
// and length are not the only way to read it.
function bar(title, n, target) {
	const pct = target ? Math.min(100, (n / target) * 100) : 0;
	const words = target ? `${title} ${n}人 / 目標 ${target}人 達成率 ${percent(n, target)}` : `${title} ${n}人`;
	// Set through the CSSOM: the page's CSP allows no style attributes.
	const fill = el("div", { class: "meter-fill" });
	fill.style.width = `${pct.toFixed(1)}%`;
	return el("div", { class: "meter-row" },
		el("p", { class: "meter-title" }, el("span", {}, title),
			el("span", { class: "meter-figure" }, String(n), target ? el("small", {}, ` / 目標 ${target}`) : ""),
			target ? el("span", { class: "meter-pct" }, `達成率 ${percent(n, target)}`) : ""),
		el("div", { class: "meter", role: "img", "aria-label": words },
			fill));
}

// "13:30" → "13:30–14:00".
function slotLabel(slot) {
	const [h, m] = slot.split(":").map(Number);
	const end = h * 60 + m + 30;
	return `${slot}–${String(Math.floor(end / 60) % 24).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
}

// The half hour it is now in Japan, as the server names slots.
function slotNow() {
	const t = new Date().toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo", hour12: false, hour: "2-digit", minute: "2-digit" });
	const [h, m] = t.split(":").map(Number);
	return `${String(h).padStart(2, "0")}:${m < 30 ? "00" : "30"}`;
}

// A table (read by screen readers as one) whose count cells carry a bar.
function arrivals(list) {
	const most = Math.max(1, ...list.map((a) => a.checked_in));
	const now = slotNow();
	document.getElementById("dash-arrivals-rows").replaceChildren(...list.map((a) => {
		const fill = el("span", { class: "arrivals-bar", "aria-hidden": "true" });
		fill.style.width = `${((a.checked_in / most) * 100).toFixed(1)}%`;
		const current = a.slot === now;
		return el("tr", { class: current ? "now" : null },
			el("th", { scope: "row" }, slotLabel(a.slot), current ? el("span", { class: "arrivals-now" }, "（現在）") : ""),
			el("td", {}, el("div", { class: "arrivals-cell" },
				el("span", { class: "arrivals-figure" }, `${a.checked_in}人`), el("span", { class: "arrivals-track" }, fill))));
	}));
}

function show(s) {
	const t = s.targets || {};
	const companies = s.companies || {};
	document.getElementById("dash-bars").replaceChildren(
		bar("求職者の来場", s.checked_in, t.seekers),
		bar("企業の来場", companies.checked_in || 0, t.companies));
	document.getElementById("dash-figures").replaceChildren(
		el("dt", {}, "当日受付（飛び込み）"), el("dd", {}, String(s.walk_ins || 0)),
		el("dt", {}, "登録者（当日受付を含む）"), el("dd", {}, String(s.registered || 0)),
		el("dt", {}, "出展企業（確定）"), el("dd", {}, String(companies.confirmed || 0)),
		...(s.supporters ? [el("dt", {}, "支援者の来場"), el("dd", {}, String(s.supporters.checked_in))] : []));
	const cats = document.getElementById("dash-categories");
	cats.hidden = !s.by_category;
	if (s.by_category)
		document.getElementById("dash-category-bars").replaceChildren(...Object.entries(s.by_category).map(([c, v]) =>
			bar(label("seeker_categories", c), v.checked_in, v.registered)));
	last = s.arrivals || [];
	arrivals(last);
	showQueues(s.queues || []);
	updated.className = "net up";
	updated.textContent = "更新 " + new Date().toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo" });
	document.body.dataset.checkedIn = String(s.checked_in);
}

// The booths' queues (面談の待ち), so organizers can send people to the
// short ones: booth, company and how many wait; the shortest named.
function showQueues(queues) {
	document.getElementById("dash-queues").hidden = queues.length === 0;
	const name = (q) => (q.booth ? `${q.booth} ` : "") + q.company_name;
	const least = Math.min(...queues.map((q) => q.waiting));
	document.getElementById("dash-queues-short").textContent = queues.length
		? `待ちの少ないブース：${queues.filter((q) => q.waiting === least).slice(0, 5).map(name).join("、")}（${least}人）` : "";
	document.getElementById("dash-queue-table").replaceChildren(table("ブース別の待ち人数",
		["ブース", "企業", { label: "待ち人数", num: true }],
		queues.map((q) => el("tr", { class: q.waiting === least ? "short" : null },
			el("td", {}, q.booth || "—"), el("td", {}, q.company_name),
			el("td", { class: "num" }, el("strong", {}, String(q.waiting)), "人"))), "queues"));
	document.body.dataset.queues = JSON.stringify(queues.map((q) => [q.company_name, q.waiting]));
}

// The numbers on screen are no longer live, and will not be again.
function stop(text) {
	if (stream) stream.close();
	stream = null;
	clearTimeout(retry);
	const box = document.getElementById("dash-stopped");
	box.replaceChildren(el("strong", {}, "更新停止"), " ", text);
	box.hidden = false;
	updated.className = "net down";
	updated.textContent = "更新停止";
	document.body.classList.add("stopped");
	document.body.dataset.stopped = "1";
}

const REVOKED = "このリンクは取り消されたか、有効期限が切れました。表示中の数字は古いままです。主催者に新しいリンクを依頼してください。";

// The stream is gone for good (a refusal, not the network): why?
async function refused() {
	try {
		await api("GET", `/events/${eventId}/stats`, undefined, { headers: linkHeaders });
		reconnect(3000);
	} catch (e) {
		if (e.status === 401 || e.status === 403) stop(secret ? REVOKED : "サインインし直してください。");
		else reconnect(3000);
	}
}

function reconnect(ms) {
	if (stream) stream.close();
	stream = null;
	updated.className = "net down";
	updated.textContent = "接続が切れました。再接続しています…";
	clearTimeout(retry);
	retry = setTimeout(connect, ms);
}

function connect() {
	if (stream) stream.close();
	stream = new EventSource(`/api/v1/events/${eventId}/stats/stream` +
		(secret ? "?link=" + encodeURIComponent(secret) : ""));
	stream.addEventListener("stats", (ev) => show(JSON.parse(ev.data)));
	stream.addEventListener("end", (ev) => {
		let reason = "";
		try { reason = JSON.parse(ev.data).reason; } catch (e) { /* none given */ }
		if (reason === "revoked" || reason === "expired") stop(secret ? REVOKED : "サインインし直してください。");
		// A stream's lifetime is up, or the server is restarting: again.
		else reconnect(reason === "lifetime" ? 0 : 2000);
	});
	stream.addEventListener("error", () => {
		// EventSource retries a lost connection itself; a refused one is
		// CLOSED and would stay silent.
		if (!stream) return;
		if (stream.readyState === EventSource.CLOSED) refused();
		else {
			updated.className = "net down";
			updated.textContent = "接続が切れました。再接続しています…";
		}
	});
}

async function open() {
	if (!secret) history.replaceState(null, "", "?event=" + eventId);
	try {
		show(await api("GET", `/events/${eventId}/stats`, undefined, { headers: linkHeaders }));
	} catch (e) {
		if (secret && (e.status === 401 || e.status === 403)) { stop(REVOKED); return; }
		throw e;
	}
	connect();
}

// The current half hour moves on even when no one comes in.
setInterval(() => arrivals(last), 60 * 1000);

if (secret) {
	// No staff session, no menu: the event is the link's.
	document.body.classList.add("by-link");
	document.getElementById("dash-event-field").hidden = true;
	try {
		const link = await api("GET", "/link", undefined, { headers: linkHeaders });
		eventId = link.event.id;
		const name = document.getElementById("dash-event-name");
		name.textContent = `${link.event.title}（${dateTime(link.event.starts_at)}）`;
		name.hidden = false;
		document.title = `受付状況 ${link.event.title}`;
		await open();
	} catch (e) {
		stop(e.status === 401 || e.status === 403 ? REVOKED : "サーバーに接続できません。ネットワークを確認して、再読み込みしてください。");
	}
} else {
	await startPage("/dashboard.html");
	await vocab();
	await eventOptions(sel);
	if (queryParam("event")) sel.value = queryParam("event");
	sel.addEventListener("change", () => { eventId = sel.value; open(); });
	eventId = sel.value;
	if (eventId) await open();
}
document.body.dataset.ready = "1";
