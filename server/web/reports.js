// レポート: the fiscal year's 目標値一覧 and an event's report, shown
// from the server's own CSV (UTF-8) so the page lays them out exactly as
// the downloads and the CLI do: the labels, 和暦 years, "30社・100人" and
// 達成率 are the server's, written once.
import { apiCSV as csv, apiAll, startPage, el, table, fiscalYearOptions, fiscalYearOf, fyLabel, dateTime, queryParam } from "/app.js";

await startPage("/reports.html");
const fy = document.getElementById("fy");
const eventSel = document.getElementById("event");

// The server names the file (Content-Disposition). The .xlsx has the
// same rows and labels as the CSV, with numbers as numbers.
function links(prefix, path) {
	document.getElementById(prefix + "-utf8").href = `/api/v1${path}?format=csv`;
	document.getElementById(prefix + "-cp932").href = `/api/v1${path}?format=csv&encoding=cp932`;
	document.getElementById(prefix + "-xlsx").href = `/api/v1${path}?format=xlsx`;
}

async function loadFY() {
	const year = Number(fy.value);
	const path = `/reports/fiscal-year/${year}`;
	links("fy", path);
	const [head, ...body] = await csv(path);
	const numeric = (i) => i >= 3;
	document.getElementById("fy-report").replaceChildren(table(`${fyLabel(year)} 目標値一覧`,
		head.map((h, i) => ({ label: h, num: numeric(i) })),
		body.map((r) => el("tr", {}, r.map((c, i) => i === 1 ? el("th", { scope: "row" }, c) : el("td", { class: numeric(i) ? "num" : null }, c)))), "wide"));
}

async function loadEvent() {
	const box = document.getElementById("event-report");
	if (!eventSel.value) { box.replaceChildren(el("p", {}, "イベントがありません。")); return; }
	const path = `/events/${eventSel.value}/report`;
	links("event", path);
	const [, ...body] = await csv(path);
	// The report's rows are (区分, 項目, 値): one small table per 区分.
	const groups = new Map();
	for (const [group, item, value] of body) {
		if (!groups.has(group)) groups.set(group, []);
		groups.get(group).push(el("tr", {}, el("th", { scope: "row" }, item), el("td", { class: "num" }, value)));
	}
	box.replaceChildren(...[...groups].map(([group, rows]) => table(group, ["項目", { label: "値", num: true }], rows)));
}

fiscalYearOptions(fy, Number(queryParam("fy")) || fiscalYearOf());
const events = await apiAll("/events");
events.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
eventSel.replaceChildren(...events.map((e) => el("option", { value: e.id }, `${e.title}（${fyLabel(e.fiscal_year)} ${dateTime(e.starts_at)}）`)));
if (queryParam("event")) eventSel.value = queryParam("event");
fy.addEventListener("change", loadFY);
eventSel.addEventListener("change", loadEvent);
await Promise.all([loadFY(), loadEvent()]);
document.body.dataset.ready = "1";
