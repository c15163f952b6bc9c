// 目標値: each metric of the plan with this year's target and actual (as
// the 目標値一覧 writes them); organizers enter Hello Work's actuals by
// year or month and set targets, next year's by default.
import { api, apiCSV, startPage, el, table, fiscalYearOptions, fiscalYearOf, fyLabel, formJSON, showErrors,
	clearErrors, announce, vocab, label } from "/app.js";

const user = await startPage("/targets.html");
const staff = user.role === "admin" || user.role === "organizer";
await vocab();
const fy = document.getElementById("fy");
const panel = document.getElementById("metric-panel");
const actualForm = document.getElementById("actual-form");
const targetForm = document.getElementById("target-form");
let current = null;

// One number input per figure of the metric (社, 人 or 件); a metric of
// one figure sends it as "actual" / "target".
function figureInputs(form, box, figures, single, title) {
	box.replaceChildren(...figures.map((f) => {
		const name = figures.length === 1 ? single : f;
		const id = `${form.id}-${name}`;
		return el("div", { class: "field" },
			el("label", { for: id, class: "required" }, `${title}（${label("figure_units", f)}）`),
			el("input", { type: "number", id, name, class: "short", min: "0", inputmode: "numeric" }));
	}));
}

async function load() {
	const year = Number(fy.value);
	const path = `/reports/fiscal-year/${year}`;
	// The cells as the plan writes them come from the CSV; the codes to
	// edit by, from the JSON of the same report, row for row.
	const [json, [head, ...cells]] = await Promise.all([api("GET", path), apiCSV(path)]);
	const targetCol = head.findIndex((h) => h.startsWith("目標値"));
	const actualCol = head.indexOf("実績");
	const rateCol = head.indexOf("達成率");
	const rows = json.rows.map((m, i) => el("tr", {},
		el("td", {}, m.programme),
		el("th", { scope: "row" }, m.metric),
		el("td", {}, label("metric_kinds", m.kind)),
		el("td", { class: "num" }, cells[i][targetCol]),
		el("td", { class: "num" }, cells[i][actualCol]),
		el("td", { class: "num" }, cells[i][rateCol]),
		el("td", {}, staff ? el("button", { type: "button", class: "secondary", "aria-label": `${m.metric}を入力`, onclick: () => open(m) }, "入力") : "")));
	document.getElementById("metrics").replaceChildren(table(`${fyLabel(year)}の目標値と実績`,
		["連携項目", "項目", "集計", { label: head[targetCol], num: true }, { label: "実績", num: true }, { label: "達成率", num: true }, "操作"], rows));
}

function open(m) {
	current = m;
	const year = Number(fy.value);
	clearErrors(actualForm);
	clearErrors(targetForm);
	actualForm.reset();
	targetForm.reset();
	document.getElementById("metric-title").textContent = m.metric;
	document.getElementById("metric-note").textContent = [m.description, m.kind === "counted"
		? "この項目の実績はイベントの受付から集計されるため、入力できません。" : ""].filter(Boolean).join(" ");
	actualForm.hidden = m.kind !== "entered";
	actualForm.elements.month.replaceChildren(el("option", { value: "" }, `${fyLabel(year)} 全体`),
		...[4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map((mo) => el("option", { value: mo }, `${mo}月`)));
	figureInputs(actualForm, actualForm.querySelector(".actual-figures"), m.figures, "actual", "実績");
	targetForm.elements.year.replaceChildren(...[year, year + 1].map((y) => el("option", { value: y, selected: y === year + 1 }, fyLabel(y))));
	figureInputs(targetForm, targetForm.querySelector(".target-figures"), m.figures, "target", "目標");
	panel.hidden = false;
	panel.focus();
}

function numbers(form) {
	const body = formJSON(form);
	for (const k of ["month", "year"]) if (body[k] !== undefined) body[k] = Number(body[k]);
	return body;
}

actualForm.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const body = numbers(actualForm);
	try {
		await api("PUT", `/metrics/${current.code}/${fy.value}`, body);
		await load();
		announce(`「${current.metric}」の実績を保存しました。`);
	} catch (e) { showErrors(actualForm, e); }
});
targetForm.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const { year, ...body } = numbers(targetForm);
	try {
		await api("PUT", `/metrics/${current.code}/${year}/target`, body);
		await load();
		announce(`「${current.metric}」の${fyLabel(year)}の目標値を保存しました。`);
	} catch (e) { showErrors(targetForm, e); }
});
document.getElementById("metric-close").addEventListener("click", () => { panel.hidden = true; });
fy.addEventListener("change", () => { panel.hidden = true; load(); });
fiscalYearOptions(fy, fiscalYearOf());
await load();
document.body.dataset.ready = "1";
