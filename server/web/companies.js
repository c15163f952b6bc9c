// 企業: search, add and edit (法人番号 checked as you type by the
// server's own rule), CSV import, and each event's booths.
import { api, apiAll, startPage, el, table, formJSON, showErrors, clearErrors, setFieldError, announce,
	message, csvImport, vocab, label, terms, termLabel, fyLabel } from "/app.js";

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

// Booths: each event's companies with their status, booth number and
// openings; one form adds a company to the event or edits its booth
// (PATCH …/companies/{company}: the openings sent replace the old ones).
const boothEvent = document.getElementById("booth-event");
const boothForm = document.getElementById("booth-form");
const openingsBox = document.getElementById("booth-form-openings");
let boothEditing = null;
function fillCompanies(list) {
	const sel = boothForm.elements.company_id;
	const keep = sel.value;
	sel.replaceChildren(el("option", { value: "" }, "選んでください"),
		...list.map((c) => el("option", { value: c.id }, c.name)));
	sel.value = keep;
}

// One opening's fields, named as the API names them ("openings[0].title")
// so the server's field errors land beside them.
function openingRow(o = {}) {
	const i = openingsBox.children.length;
	const id = (f) => `booth-form-opening-${i}-${f}`;
	const name = (f) => `openings[${i}].${f}`;
	const type = el("select", { id: id("employment_type"), name: name("employment_type") },
		el("option", { value: "" }, "選んでください"),
		...terms("employment_types").map((t) => el("option", { value: t.code }, termLabel(t))));
	type.value = o.employment_type || "";
	const row = el("fieldset", { class: "opening" },
		el("legend", {}, `求人${i + 1}`),
		el("div", { class: "field" }, el("label", { for: id("title") }, "職種"),
			el("input", { type: "text", id: id("title"), name: name("title"), maxlength: "200", value: o.title || "" })),
		el("div", { class: "field" }, el("label", { for: id("employment_type") }, "雇用形態"), type),
		el("div", { class: "field" }, el("label", { for: id("count") }, "人数"),
			el("input", { type: "number", id: id("count"), name: name("count"), class: "short", min: "1", max: "999",
				inputmode: "numeric", value: o.count ?? "" })),
		el("div", { class: "field" }, el("label", { for: id("job_number") }, "求人番号"),
			el("span", { class: "hint", id: id("job_number-hint") }, "例：35010-12345678"),
			el("input", { type: "text", id: id("job_number"), name: name("job_number"), class: "short",
				"aria-describedby": id("job_number-hint"), value: o.job_number || "" })),
		el("div", { class: "actions" }, el("button", { type: "button", class: "secondary", "aria-label": `求人${i + 1}を削除`,
			onclick: () => removeOpening(row) }, "この求人を削除")));
	openingsBox.append(row);
	return row;
}
// Removing a row renumbers the rest, so names match what is sent.
function removeOpening(row) {
	const kept = openings().filter((o, i) => openingsBox.children[i] !== row);
	setOpenings(kept);
	(openingsBox.querySelector("input") || document.getElementById("booth-form-add-opening")).focus();
}
function openings() {
	return [...openingsBox.children].map((_, i) => {
		const v = (f) => boothForm.elements.namedItem(`openings[${i}].${f}`).value.trim();
		return { title: v("title"), employment_type: v("employment_type"), count: v("count") === "" ? null : Number(v("count")),
			job_number: v("job_number") || null };
	});
}
function setOpenings(list) {
	openingsBox.replaceChildren();
	for (const o of list.length ? list : [{}]) openingRow(o);
}
document.getElementById("booth-form-add-opening").addEventListener("click", () => {
	openingRow().querySelector("input").focus();
});

function boothFresh() {
	boothEditing = null;
	boothForm.reset();
	clearErrors(boothForm);
	boothForm.elements.company_id.disabled = false;
	document.getElementById("booth-form-title").textContent = "参加企業を追加";
	document.getElementById("booth-save").textContent = "追加";
	document.getElementById("booth-form-new").hidden = true;
	setOpenings([]);
}
function boothEdit(b) {
	boothFresh();
	boothEditing = b;
	boothForm.elements.company_id.value = b.company_id;
	boothForm.elements.company_id.disabled = true;
	boothForm.elements.booth.value = b.booth || "";
	boothForm.elements.status.value = b.status;
	boothForm.elements.representatives.value = b.representatives ?? "";
	setOpenings(b.openings || []);
	document.getElementById("booth-form-title").textContent = `「${b.company_name}」のブースを編集`;
	document.getElementById("booth-save").textContent = "保存";
	document.getElementById("booth-form-new").hidden = false;
	boothForm.elements.booth.focus();
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
		table(`参加企業（${booths.length}社）`, ["ブース", "企業", "状態", "代表者数", "求人（職種・雇用形態・人数・求人番号）", "申込み・操作"],
			booths.map((b) => el("tr", { class: b.status === "cancelled" ? "cancelled" : null },
				el("td", {}, b.booth || ""),
				el("th", { scope: "row" }, b.company_name),
				el("td", {}, label("participation_statuses", b.status)),
				el("td", { class: "num" }, b.representatives ?? ""),
				el("td", {}, (b.openings || []).length === 0 ? "求人はありません。" : el("ul", {}, b.openings.map((o) =>
					el("li", {}, openingText(o))))),
				el("td", {}, b.applications > 0 ? applicationDetails(b) : "", ...answerButtons(b),
					el("button", { type: "button", class: "secondary", "data-company": b.company_id,
						"aria-label": `${b.company_name}のブースを編集`, onclick: () => boothEdit(b) }, "編集"))))));
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
	// Rows left empty are not openings; the server's "openings[k]" is
	// the k-th row sent, told back on the row it came from.
	const rows = openings().map((o, i) => [o, i]).filter(([o]) => o.title || o.employment_type || o.count !== null || o.job_number);
	const representatives = boothForm.elements.representatives.value.trim();
	const body = { booth: boothForm.elements.booth.value.trim() || null, status: boothForm.elements.status.value,
		representatives: representatives === "" ? null : Number(representatives), openings: rows.map(([o]) => o) };
	const editing = boothEditing;
	try {
		let saved;
		if (editing) saved = await api("PATCH", `/events/${boothEvent.value}/companies/${editing.company_id}`, body);
		else {
			const company = boothForm.elements.company_id.value;
			saved = await api("POST", `/events/${boothEvent.value}/companies`, { ...body, company_id: company ? Number(company) : undefined });
		}
		boothFresh();
		await loadBooths();
		announce(editing ? `「${saved.company_name}」のブースを保存しました。` : "参加企業を追加しました。");
		const again = editing && document.querySelector(`#booths-list button[data-company="${saved.company_id}"]`);
		if (again) again.focus();
	} catch (e) {
		e.fields = Object.fromEntries(Object.entries(e.fields || {}).map(([k, v]) =>
			[k.replace(/^openings\[(\d+)\]/, (m, n) => `openings[${rows[Number(n)] ? rows[Number(n)][1] : n}]`), v]));
		showErrors(boothForm, e);
	}
});
document.getElementById("booth-form-new").addEventListener("click", () => { boothFresh(); boothForm.elements.company_id.focus(); });
boothEvent.addEventListener("change", () => { boothFresh(); loadBooths(); });
boothForm.elements.status.replaceChildren(...terms("participation_statuses").map((t) => el("option", { value: t.code }, termLabel(t))));
setOpenings([]);

const events = await apiAll("/events");
events.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
boothEvent.replaceChildren(...events.map((e) => el("option", { value: e.id }, `${e.title}（${fyLabel(e.fiscal_year)}）`)));
await load();
await loadBooths();
document.body.dataset.ready = "1";
