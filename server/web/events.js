// イベント: the fiscal year's events with their targets, counts and
// 達成率; organizers create and edit them, and print an event's papers
// (受付票, 名札, ブース掲示, 参加企業・求人一覧) and its lists as .xlsx.
import { api, apiAll, startPage, el, table, fiscalYearOptions, fiscalYearOf, fyLabel, dateTime, localInput,
	percent, formJSON, showErrors, clearErrors, announce, vocab, label, terms, termLabel, lang, t, queryParam, fileButton,
	slipLayouts } from "/app.js";

const user = await startPage("/events.html");
const canEdit = user.role === "admin" || user.role === "organizer";
const form = document.getElementById("event-form");
const fy = document.getElementById("fy");
let editing = null;
let types = [];

// An event type's name in the page's language (from /event-types).
function typeName(code) {
	const x = types.find((y) => y.code === code);
	return x && (lang === "en" ? x.name_en : x.name_ja);
}

function options(select, list, blank) {
	select.replaceChildren(...(blank ? [el("option", { value: "" }, blank)] : []),
		...list.map((t) => el("option", { value: t.code }, t.label)));
}

async function load() {
	const box = document.getElementById("events-list");
	const year = Number(fy.value);
	const events = await apiAll(`/events?fiscal_year=${year}`);
	const stats = await Promise.all(events.map((e) => api("GET", `/events/${e.id}/stats`).catch(() => null)));
	const rows = events.map((e, i) => {
		const s = stats[i] || { checked_in: 0, companies: { checked_in: 0 } };
		return el("tr", {},
			el("td", {}, typeName(e.type) || e.type_name),
			el("th", { scope: "row" }, e.title),
			el("td", {}, dateTime(e.starts_at)),
			el("td", {}, e.venue || ""),
			el("td", {}, label("event_statuses", e.status)),
			el("td", {}, e.public_open
				? el("a", { href: `/apply/events/${e.id}` }, "受付中")
				: "—"),
			el("td", { class: "num" }, `${e.target_companies ?? "—"}社・${e.target_seekers ?? "—"}人`),
			el("td", { class: "num" }, `${e.company_count}社・${e.registered_count}人`),
			el("td", { class: "num" }, `${s.companies.checked_in}社・${s.checked_in}人`),
			el("td", { class: "num" }, `${percent(s.companies.checked_in, e.target_companies)}・${percent(s.checked_in, e.target_seekers)}`),
			el("td", {}, canEdit ? el("div", { class: "row-actions" },
				el("button", { type: "button", class: "secondary", onclick: () => edit(e) , "aria-label": `${e.title}を編集` }, "編集"),
				el("button", { type: "button", class: "secondary", onclick: () => openPaper(e), "aria-label": `${e.title}の印刷とExcel` }, "印刷・Excel"),
				el("button", { type: "button", class: "secondary", onclick: () => openLinks(e), "aria-label": `${e.title}のアクセス用リンク` }, "リンク")) : ""));
	});
	box.replaceChildren(events.length === 0
		? el("p", {}, `${fyLabel(year)}のイベントはまだありません。`)
		: table(`${fyLabel(year)}のイベント（${events.length}件）`,
			["種類", "名称", "開始", "会場", "状態", "申込フォーム", { label: "目標", num: true }, { label: "登録", num: true },
				{ label: "来場", num: true }, { label: "達成率（企業・求職者）", num: true }, "操作"], rows));
}

function open(title) {
	clearErrors(form);
	paper.hidden = true;
	document.getElementById("event-form-title").textContent = title;
	form.hidden = false;
	form.elements.type.focus();
}

function create() {
	editing = null;
	form.reset();
	form.elements.status.value = "draft";
	open("イベントを作成");
}

function edit(e) {
	editing = e;
	form.reset();
	for (const name of ["type", "title", "venue", "organizer", "status", "capacity", "target_companies", "target_seekers"])
		form.elements[name].value = e[name] ?? "";
	form.elements.public_open.checked = e.public_open;
	form.elements.public_deadline.value = localInput(e.public_deadline);
	form.elements.public_bring.value = e.public_bring ?? "";
	form.elements.starts_at.value = localInput(e.starts_at);
	form.elements.ends_at.value = localInput(e.ends_at);
	open(`「${e.title}」を編集`);
}

form.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const body = formJSON(form, { clear: editing !== null });
	try {
		const saved = editing
			? await api("PATCH", `/events/${editing.id}`, body)
			: await api("POST", "/events", body);
		form.hidden = true;
		fy.value = saved.fiscal_year;
		await load();
		announce(`「${saved.title}」を保存しました（${saved.fiscal_year_label}）。`);
		document.getElementById("new-event").focus();
	} catch (e) {
		showErrors(form, e);
	}
});

// The papers of one event; the server draws them all (print.c).
const paper = document.getElementById("paper");
let printing = null;
const under = (path) => () => `/events/${printing.id}${path}`;
const layout = slipLayouts(document.getElementById("slip-layout"));
document.getElementById("paper-slips").append(fileButton("受付票をダウンロード（PDF）", "受付票",
	() => `/events/${printing.id}/print/slips.pdf?layout=${layout.value}`));
document.getElementById("paper-badges").append(fileButton("求職者の名札をダウンロード（PDF）", "求職者の名札",
	() => `/events/${printing.id}/print/badges.pdf?names=${paper.querySelector("input[name=badge-names]:checked").value}`));
document.getElementById("paper-company-badges").append(fileButton("企業担当者の名札をダウンロード（PDF）", "企業担当者の名札", under("/print/badges.pdf?kind=companies")));
document.getElementById("paper-booths").append(
	fileButton("ブース掲示をダウンロード（PDF）", "ブース掲示", under("/print/booths.pdf")),
	fileButton("参加企業・求人一覧をダウンロード（PDF）", "参加企業・求人一覧", under("/print/companies.pdf")));
document.getElementById("paper-xlsx").append(
	fileButton("登録者一覧をダウンロード（Excel）", "登録者一覧（Excel）", under("/registrations.xlsx")),
	fileButton("参加企業・求人一覧をダウンロード（Excel）", "参加企業・求人一覧（Excel）", under("/companies.xlsx")));

function openPaper(e) {
	printing = e;
	form.hidden = true;
	linksPanel.hidden = true;
	document.getElementById("paper-title").textContent = `「${e.title}」の印刷とExcel`;
	paper.hidden = false;
	paper.focus();
}
document.getElementById("paper-close").addEventListener("click", () => { paper.hidden = true; });

// 利用目的: the newest version of each type; saving makes a new one.
const purposeForm = document.getElementById("purpose-form");
let purposes = [];
function showPurpose() {
	const p = purposes.find((x) => x.event_type === purposeForm.elements.type.value);
	purposeForm.elements.body.value = p ? p.body : "";
	document.getElementById("purpose-form-version").textContent =
		p ? `いまの版：第${p.version}版（${dateTime(p.created_at)}）` : "";
}
purposeForm.elements.type.addEventListener("change", showPurpose);
purposeForm.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	clearErrors(purposeForm);
	const type = purposeForm.elements.type.value;
	try {
		const saved = await api("PUT", `/event-types/${type}/purpose`, { body: purposeForm.elements.body.value });
		purposes = purposes.filter((x) => x.event_type !== type).concat([saved]);
		showPurpose();
		announce(`利用目的を第${saved.version}版として保存しました。`);
	} catch (e) {
		showErrors(purposeForm, e);
	}
});
// アクセス用リンク (links.h): an event's dashboard and booth links;
// a new link's URL and QR code are shown once, as the server keeps only
// the secret's hash.
const linksPanel = document.getElementById("links-panel");
const linkForm = document.getElementById("link-form");
let linksEvent = null;

const LINK_STATES = { active: "有効", expired: "期限切れ", revoked: "取り消し済み" };

async function loadLinks() {
	const links = (await api("GET", `/events/${linksEvent.id}/links`)).items;
	document.getElementById("links-list").replaceChildren(links.length === 0
		? el("p", {}, "このイベントのリンクはまだありません。")
		: table(`「${linksEvent.title}」のリンク（${links.length}件）`,
			["種類", "名前", "企業", "作成", "有効期限", "状態", "操作"],
			links.map((l) => el("tr", { class: l.state === "active" ? null : "cancelled" },
				el("td", {}, label("access_link_kinds", l.kind)),
				el("th", { scope: "row" }, l.label || "（名前なし）"),
				el("td", {}, l.company_name || ""),
				el("td", {}, `${dateTime(l.created_at)} ${l.created_by}`),
				el("td", {}, dateTime(l.expires_at)),
				el("td", {}, LINK_STATES[l.state] || l.state),
				el("td", {}, l.state === "active"
					? el("button", { type: "button", class: "danger", onclick: () => revokeLink(l),
						"aria-label": `${l.label || label("access_link_kinds", l.kind)}のリンクを取り消す` }, "取り消す")
					: "")))));
}

async function revokeLink(l) {
	if (!confirm(t("「{name}」のリンクを取り消します。このリンクで開いている画面は更新が止まります。よろしいですか。",
		{ name: l.label || label("access_link_kinds", l.kind) }))) return;
	await api("POST", `/events/${linksEvent.id}/links/${l.id}/revoke`);
	await loadLinks();
	announce("リンクを取り消しました。");
	document.getElementById("links-title").focus();
}

async function openLinks(e) {
	linksEvent = e;
	form.hidden = true;
	paper.hidden = true;
	linkForm.reset();
	clearErrors(linkForm);
	document.getElementById("link-made").hidden = true;
	document.getElementById("links-title").textContent = `アクセス用リンク —「${e.title}」`;
	const booths = await apiAll(`/events/${e.id}/companies`);
	linkForm.elements.company_id.replaceChildren(el("option", { value: "" }, "選んでください"),
		...booths.filter((b) => b.status !== "cancelled").map((b) =>
			el("option", { value: b.company_id }, `${b.company_name}${b.booth ? `（${b.booth}）` : ""}`)));
	kindChanged();
	linksPanel.hidden = false;
	await loadLinks();
	document.getElementById("links-title").focus();
}

function kindChanged() {
	const booth = linkForm.elements.kind.value === "booth";
	document.getElementById("link-form-company-field").hidden = !booth;
	linkForm.elements.company_id.disabled = !booth;
}

linkForm.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const body = formJSON(linkForm);
	if (body.company_id) body.company_id = Number(body.company_id);
	try {
		const made = await api("POST", `/events/${linksEvent.id}/links`, body);
		clearErrors(linkForm);
		linkForm.reset();
		kindChanged();
		document.getElementById("link-made-url").value = made.url;
		const qr = document.getElementById("link-made-qr");
		qr.hidden = !made.qr_svg;
		if (made.qr_svg) qr.src = "data:image/svg+xml;base64," + btoa(made.qr_svg);
		qr.alt = `${label("access_link_kinds", made.kind)}のリンクのQRコード`;
		const box = document.getElementById("link-made");
		box.hidden = false;
		await loadLinks();
		box.focus();
	} catch (e) {
		showErrors(linkForm, e);
	}
});
document.getElementById("link-copy").addEventListener("click", async () => {
	const url = document.getElementById("link-made-url");
	try {
		await navigator.clipboard.writeText(url.value);
		announce("URLをコピーしました。");
	} catch (e) {
		url.select();
		announce("URLを選択しました。Ctrl+C でコピーしてください。", "info");
	}
});
linkForm.elements.kind.addEventListener("change", kindChanged);
document.getElementById("links-close").addEventListener("click", () => { linksPanel.hidden = true; });

document.getElementById("event-cancel").addEventListener("click", () => { form.hidden = true; });
document.getElementById("new-event").addEventListener("click", create);
fy.addEventListener("change", load);

await vocab();
types = (await api("GET", "/event-types")).items;
options(form.elements.type, types.map((t) => ({ code: t.code, label: typeName(t.code) })), "選んでください");
options(form.elements.organizer, terms("event_organizers").map((t) => ({ code: t.code, label: termLabel(t) })), "選んでください");
options(form.elements.status, terms("event_statuses").map((t) => ({ code: t.code, label: termLabel(t) })));
options(linkForm.elements.kind, terms("access_link_kinds").map((t) => ({ code: t.code, label: termLabel(t) })));
fiscalYearOptions(fy, Number(queryParam("fy")) || fiscalYearOf());
document.getElementById("new-event").hidden = !canEdit;
if (canEdit) {
	purposes = (await api("GET", "/purpose-statements")).items;
	options(purposeForm.elements.type, types.map((t) => ({ code: t.code, label: typeName(t.code) })));
	showPurpose();
	purposeForm.hidden = false;
}
await load();
performance.mark("events-table");
document.body.dataset.ready = "1";
