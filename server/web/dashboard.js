// 受付状況: the event's numbers for a projector — present against the
// targets as bars with 達成率, walk-ins and registrations, by category
// when the role may see them. Aggregates only, never a person. Kept up
// to date by the stats stream (EventSource, the session cookie).
import { api, startPage, el, vocab, label, percent, queryParam, table, eventOptions } from "/app.js";

await startPage("/dashboard.html");
await vocab();

const sel = document.getElementById("dash-event");
const updated = document.getElementById("dash-updated");
let stream = null;

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
	showQueues(s.queues || []);
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

async function open() {
	if (stream) stream.close();
	history.replaceState(null, "", "?event=" + sel.value);
	show(await api("GET", `/events/${sel.value}/stats`));
	stream = new EventSource(`/api/v1/events/${sel.value}/stats/stream`);
	stream.addEventListener("stats", (ev) => show(JSON.parse(ev.data)));
	stream.addEventListener("end", () => { stream.close(); updated.textContent = "更新が止まりました（再読み込みしてください）"; });
}

await eventOptions(sel);
if (queryParam("event")) sel.value = queryParam("event");
sel.addEventListener("change", open);
if (sel.value) await open();
document.body.dataset.ready = "1";
