// 企業: search, add and edit (法人番号 checked as you type by the
// server's own rule), CSV import, and each event's booths.
import { api, apiAll, startPage, el, table, formJSON, showErrors, clearErrors, setFieldError, announce,
	message, csvImport, vocab, label, terms, fyLabel } from "/app.js";

await startPage("/companies.html");
await vocab();
const form = document.getElementById("company-form");
const search = document.getElementById("search");
const FIELDS = ["corporate_number", "name", "name_kana", "industry", "postal_code", "address", "phone",
	"contact_name", "email", "establishment_number"];
let editing = null;

async function load() {
	const q = search.elements.q.value.trim();
	const list = await apiAll("/companies" + (q ? "?q=" + encodeURIComponent(q) : ""));
	const rows = list.map((c) => el("tr", {},
		el("td", {}, c.corporate_number || "—"),
		el("th", { scope: "row" }, c.name),
		el("td", {}, c.name_kana || ""),
		el("td", {}, c.industry || ""),
		el("td", {}, c.phone || ""),
		el("td", {}, el("button", { type: "button", class: "secondary", "aria-label": `${c.name}を編集`, onclick: () => edit(c) }, "編集"))));
	document.getElementById("companies-list").replaceChildren(list.length === 0
		? el("p", {}, q ? `「${q}」に当てはまる企業はありません。` : "企業はまだ登録されていません。")
		: table(`企業（${list.length}社）`, ["法人番号", "企業名", "フリガナ", "業種", "電話番号", "操作"], rows));
	fillCompanies(list);
}

function open(title) {
	clearErrors(form);
	status("");
	document.getElementById("company-form-title").textContent = title;
	form.hidden = false;
	form.elements.corporate_number.focus();
}

function edit(c) {
	editing = c;
	form.reset();
	for (const f of FIELDS) form.elements[f].value = c[f] ?? "";
	open(`「${c.name}」を編集`);
}

// 法人番号 as you type: the server answers with its own rule (the check
// digit, full-width digits) and says if another company already has it.
const cn = form.elements.corporate_number;
let timer = null;
let asked = 0;
function status(text, ok) {
	const s = document.getElementById("company-form-corporate_number-status");
	s.className = ok ? "field-ok" : "";
	s.textContent = text;
}
async function checkNumber() {
	const value = cn.value.trim();
	const box = cn.closest(".field");
	box.classList.remove("has-error");
	box.querySelector(".field-error")?.remove();
	cn.removeAttribute("aria-invalid");
	status("");
	if (!value) return;
	const mine = ++asked;
	try {
		const r = await api("GET", "/companies/check?corporate_number=" + encodeURIComponent(value));
		if (mine !== asked) return;
		if (r.company && (!editing || r.company.id !== editing.id))
			setFieldError(form, "corporate_number", `すでに「${r.company.name}」として登録されています`);
		else status("正しい法人番号です", true);
	} catch (e) {
		if (mine !== asked || !e.fields.corporate_number) return;
		setFieldError(form, "corporate_number", message(e.fields.corporate_number));
	}
}
cn.addEventListener("input", () => {
	clearTimeout(timer);
	// Judge a number once it is long enough to be one, or on leaving.
	if (cn.value.replace(/\D/g, "").length >= 13) timer = setTimeout(checkNumber, 250);
});
cn.addEventListener("blur", () => { clearTimeout(timer); checkNumber(); });

form.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const body = formJSON(form, { clear: editing !== null });
	try {
		const saved = editing ? await api("PATCH", `/companies/${editing.id}`, body) : await api("POST", "/companies", body);
		form.hidden = true;
		search.elements.q.value = saved.name;
		await load();
		announce(`「${saved.name}」を保存しました。`);
		document.getElementById("new-company").focus();
	} catch (e) {
		showErrors(form, e);
	}
});
document.getElementById("company-cancel").addEventListener("click", () => { form.hidden = true; });
document.getElementById("new-company").addEventListener("click", () => { editing = null; form.reset(); open("企業を登録"); });
search.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });

csvImport(document.getElementById("company-import"), () => "/companies/import", "companies.rejected.csv", () => load());

// Booths: each event's companies with their openings and status.
const boothEvent = document.getElementById("booth-event");
const boothForm = document.getElementById("booth-form");
function fillCompanies(list) {
	const sel = boothForm.elements.company_id;
	const keep = sel.value;
	sel.replaceChildren(el("option", { value: "" }, "選んでください"),
		...list.map((c) => el("option", { value: c.id }, c.name)));
	sel.value = keep;
}
// 「製造スタッフ・正社員・2人・35010-12345678」
function openingText(o) {
	return `${o.title}・${label("employment_types", o.employment_type)}・${o.count ? o.count + "人" : "人数の記入なし"}・${o.job_number || "番号なし"}`;
}
async function loadBooths() {
	const id = boothEvent.value;
	const box = document.getElementById("booths-list");
	if (!id) { box.replaceChildren(el("p", {}, "イベントがありません。")); return; }
	const booths = await apiAll(`/events/${id}/companies`);
	box.replaceChildren(booths.length === 0 ? el("p", {}, "参加企業はまだありません。") :
		table(`参加企業（${booths.length}社）`, ["ブース", "企業", "状態", "求人（職種・雇用形態・人数・求人番号）", "申込み・操作"],
			booths.map((b) => el("tr", { class: b.status === "cancelled" ? "cancelled" : null },
				el("td", {}, b.booth || ""),
				el("th", { scope: "row" }, b.company_name),
				el("td", {}, label("participation_statuses", b.status)),
				el("td", {}, el("ul", {}, (b.openings || []).map((o) =>
					el("li", {}, openingText(o))))),
				el("td", {}, b.applications > 0 ? applicationDetails(b) : "", ...answerButtons(b))))));
}

// What a company sent on the public form (申込フォーム), read when opened.
const APPLICATION_LABELS = [["corporate_number", "法人番号"], ["name", "会社名"], ["name_kana", "フリガナ"],
	["postal_code", "郵便番号"], ["address", "所在地"], ["contact_name", "ご担当者"], ["phone", "電話番号"],
	["email", "メール"], ["representatives", "来場人数"], ["representative_names", "来場者"]];
function applicationDetails(b) {
	const body = el("div", {}, "読み込み中…");
	const details = el("details", { class: "application" },
		el("summary", {}, `申込フォームの内容（${b.applications}件）`), body);
	details.addEventListener("toggle", async () => {
		if (!details.open || details.dataset.loaded) return;
		details.dataset.loaded = "1";
		const list = await apiAll(`/events/${boothEvent.value}/companies/${b.company_id}/applications`);
		body.replaceChildren(...list.map((a) => el("div", {},
			el("p", {}, `${a.created_at.slice(0, 16).replace("T", " ")} 受付` +
				(a.created_company ? "（この申込みで企業を登録）" : "（登録済みの法人番号：企業の登録内容は変えていません）")),
			el("dl", { class: "application-details" }, ...APPLICATION_LABELS.flatMap(([k, t]) =>
				a.details[k] === undefined ? [] : [el("dt", {}, t), el("dd", {}, String(a.details[k]))])),
			el("ul", {}, (a.details.openings || []).map((o) =>
				el("li", {}, openingText(o)))))));
	});
	return details;
}

// 申込み → 確定 or お断り; the company is mailed either way (booths.sql).
function answerButtons(b) {
	if (b.status !== "applied") return [];
	const answer = async (status, done) => {
		await api("PATCH", `/events/${boothEvent.value}/companies/${b.company_id}`, { status });
		await loadBooths();
		announce(`${b.company_name}：${done}（企業にメールでお知らせします）`);
	};
	return [el("button", { type: "button", "aria-label": `${b.company_name}の出展を確定する`,
		onclick: () => answer("confirmed", "出展を確定しました") }, "確定する"),
	el("button", { type: "button", class: "secondary", "aria-label": `${b.company_name}の出展をお断りする`,
		onclick: () => answer("cancelled", "お断りしました") }, "お断りする")];
}
boothForm.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const v = formJSON(boothForm);
	const body = { company_id: v.company_id ? Number(v.company_id) : undefined, booth: v.booth, status: v.status };
	if (v.opening_title || v.opening_employment_type)
		body.openings = [{ title: v.opening_title, employment_type: v.opening_employment_type, count: v.opening_count, job_number: v.opening_job_number }];
	try {
		await api("POST", `/events/${boothEvent.value}/companies`, body);
		boothForm.reset();
		clearErrors(boothForm);
		await loadBooths();
		announce("参加企業を追加しました。");
	} catch (e) {
		// "openings[0].title" is this form's "opening_title".
		e.fields = Object.fromEntries(Object.entries(e.fields || {}).map(([k, v]) =>
			[k.replace(/^openings\[0\]\./, "opening_"), v]));
		showErrors(boothForm, e);
	}
});
boothEvent.addEventListener("change", loadBooths);
boothForm.elements.status.replaceChildren(...terms("participation_statuses").map((t) => el("option", { value: t.code }, t.label_ja)));
boothForm.elements.opening_employment_type.replaceChildren(el("option", { value: "" }, "選んでください"),
	...terms("employment_types").map((t) => el("option", { value: t.code }, t.label_ja)));

const events = await apiAll("/events");
events.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
boothEvent.replaceChildren(...events.map((e) => el("option", { value: e.id }, `${e.title}（${fyLabel(e.fiscal_year)}）`)));
await load();
await loadBooths();
document.body.dataset.ready = "1";
