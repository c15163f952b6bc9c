// 求職者: an event's job seekers; search by kana or phone, register,
// show with the QR code, cancel, CSV import; 受付票 as PDF for one person,
// those ticked or everyone (the desk reprints a walk-in's), the list as
// .xlsx for organizers. The front desk sees what the API shows it (name,
// kana, code) and no buttons it may not use.
import { api, apiAll, startPage, el, table, formJSON, showErrors, clearErrors, announce, csvImport,
	vocab, label, terms, termLabel, checkboxes, dateTime, fyLabel, queryParam, fileButton, slipLayouts } from "/app.js";

const user = await startPage("/seekers.html");
const staff = user.role === "admin" || user.role === "organizer";
await vocab();
const eventSel = document.getElementById("event");
const lookup = document.getElementById("lookup");
const form = document.getElementById("seeker-form");
const detail = document.getElementById("detail");
let shown = null;

function rows(list) {
	return list.map((r) => el("tr", { class: r.status === "cancelled" ? "cancelled" : null },
		// A cancelled registration has no 受付票 (the server refuses its id).
		el("td", {}, r.status === "cancelled" ? "" : el("label", { class: "choice" }, el("input", { type: "checkbox",
			class: "pick", value: r.id, "aria-label": `${r.name}の受付票を印刷する` }))),
		el("td", { class: "num" }, r.id),
		el("th", { scope: "row" }, r.name),
		el("td", {}, r.name_kana),
		el("td", {}, label("registration_statuses", r.status) + (r.walk_in ? "（当日）" : "")),
		el("td", {}, el("button", { type: "button", class: "secondary", "aria-label": `${r.name}を表示`, onclick: () => show(r.id) }, "表示"))));
}

async function showList(list, caption, empty) {
	document.getElementById("seekers-list").replaceChildren(list.length === 0
		? el("p", {}, empty)
		: table(`${caption}（${list.length}人）`, ["印刷", { label: "番号", num: true }, "氏名", "フリガナ", "状態", "操作"], rows(list)));
}

async function loadAll() {
	if (!eventSel.value) return;
	await showList(await apiAll(`/events/${eventSel.value}/registrations`), "登録者", "このイベントに登録した求職者はまだいません。");
}

lookup.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const q = lookup.elements.q.value.trim();
	if (!q) { await loadAll(); return; }
	try {
		const r = await api("GET", `/events/${eventSel.value}/lookup?q=${encodeURIComponent(q)}`);
		await showList(r.items, `「${q}」の検索結果`, `「${q}」に当てはまる求職者はいません。`);
	} catch (e) {
		showErrors(lookup, e);
	}
});
document.getElementById("show-all").addEventListener("click", () => { lookup.reset(); loadAll(); });

function fact(term, value) {
	return value === null || value === undefined || value === "" ? [] : [el("dt", {}, term), el("dd", {}, String(value))];
}

async function show(id) {
	const r = await api("GET", `/registrations/${id}`);
	shown = r;
	document.getElementById("detail-title").textContent = `${r.name}（${r.name_kana}）`;
	const qr = document.getElementById("detail-qr");
	qr.src = `/api/v1/registrations/${r.id}/qr.png?scale=8`;
	qr.alt = `${r.name}さんの受付用QRコード`;
	document.getElementById("detail-facts").replaceChildren(
		...fact("登録番号", r.id), ...fact("状態", label("registration_statuses", r.status)),
		...fact("生年月日", r.birth_date), ...fact("年齢", r.age), ...fact("電話番号", r.phone), ...fact("メール", r.email),
		...fact("区分", (r.categories || []).map((c) => label("seeker_categories", c)).join("、")),
		...fact("障害者手帳", r.disability && label("disability_handbooks", r.disability.handbook)),
		...fact("配慮事項", (r.accommodations || []).map((c) => label("accommodations", c)).join("、")),
		...fact("配慮内容", r.accommodation_note), ...fact("同行支援者数", r.supporters),
		...fact("登録日時", dateTime(r.created_at)), ...fact("キャンセル日時", dateTime(r.cancelled_at)));
	document.getElementById("detail-cancel").hidden = !staff || r.status === "cancelled";
	document.getElementById("detail-slip").hidden = r.status === "cancelled";
	document.getElementById("detail-cancel-confirm").hidden = true;
	detail.hidden = false;
	detail.focus();
}

// 受付票: the layout chosen beside the buttons; ids as the API takes them.
const layout = slipLayouts(document.getElementById("slip-layout"));
const slips = (ids) => `/events/${eventSel.value}/print/slips.pdf?layout=${layout.value}` +
	(ids ? `&ids=${ids.join(",")}` : "");
function picked() {
	const ids = [...document.querySelectorAll("input.pick:checked")].map((c) => c.value);
	if (ids.length === 0) announce("受付票を印刷する人の「印刷」欄にチェックを入れてください。", "info");
	return ids.length ? slips(ids) : null;
}
document.getElementById("paper").append(
	fileButton("全員の受付票をダウンロード（PDF）", "受付票（全員）", () => slips(null)),
	fileButton("チェックした人の受付票をダウンロード（PDF）", "受付票（チェックした人）", picked),
	...(staff ? [fileButton("登録者一覧をダウンロード（Excel）", "登録者一覧（Excel）", () => `/events/${eventSel.value}/registrations.xlsx`)] : []));
document.getElementById("detail-cancel").before(fileButton("この人の受付票をダウンロード（PDF）", "受付票",
	() => slips([shown.id]), { id: "detail-slip" }));

document.getElementById("detail-close").addEventListener("click", () => { detail.hidden = true; });
document.getElementById("detail-cancel").addEventListener("click", () => {
	const c = document.getElementById("detail-cancel-confirm");
	c.hidden = false;
	c.focus();
});
document.getElementById("detail-cancel-confirm").addEventListener("click", async () => {
	try {
		await api("POST", `/registrations/${shown.id}/cancel`);
		announce(`${shown.name}さんの登録をキャンセルしました。`);
		await show(shown.id);
		await loadAll();
	} catch (e) {
		announce(e.message, "info");
	}
});

checkboxes("seeker-form-categories", "categories", "seeker_categories");
checkboxes("seeker-form-accommodations", "accommodations", "accommodations");
form.elements.disability.replaceChildren(el("option", { value: "" }, "なし・未回答"),
	...terms("disability_handbooks").map((t) => el("option", { value: t.code }, termLabel(t))));

form.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const body = formJSON(form);
	if (body.disability) body.disability = { handbook: body.disability };
	try {
		const r = await api("POST", `/events/${eventSel.value}/registrations`, body);
		form.reset();
		form.hidden = true;
		announce(`${r.name}さんを登録しました（登録番号 ${r.id}）。`);
		await loadAll();
		await show(r.id);
	} catch (e) {
		showErrors(form, e);
	}
});
document.getElementById("new-seeker").addEventListener("click", () => {
	clearErrors(form);
	form.hidden = false;
	form.elements.name.focus();
});
document.getElementById("seeker-form-close").addEventListener("click", () => { form.hidden = true; });
csvImport(document.getElementById("seeker-import"), () => `/events/${eventSel.value}/registrations/import`,
	"seekers.rejected.csv", () => loadAll());

document.getElementById("new-seeker").hidden = !staff;
document.getElementById("seeker-import").hidden = !staff;
const events = await apiAll("/events");
events.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
eventSel.replaceChildren(...events.map((e) => el("option", { value: e.id }, `${e.title}（${fyLabel(e.fiscal_year)} ${dateTime(e.starts_at)}）`)));
if (queryParam("event")) eventSel.value = queryParam("event");
eventSel.addEventListener("change", () => { detail.hidden = true; loadAll(); });
await loadAll();
document.body.dataset.ready = "1";
