// What every page shares: the API call (session cookie + CSRF header),
// the signed-in user and the role-aware navigation, error summaries
// linked to their fields, the vocabulary's labels from the server, and
// dates in Japan's time and era. No data is ever written as HTML: the
// DOM is built with el(), so a name cannot become markup.

// ---- Language: Japanese first, English by the browser or the switch ----
// Pages are written in Japanese. In English, every text node and the
// attributes people read (label, aria-label, placeholder, title, alt) are
// looked up in i18n.js, keyed by the Japanese itself, as the page renders
// and whenever it changes (a MutationObserver), so a page that loads
// app.js is translated without code of its own. A string missing from the
// dictionary stays Japanese (marked lang="ja" so it is read as Japanese).
// Keys with {placeholders} match strings a page builds from parts: {n},
// {n2}… match a number, any other name any text (itself translated).
const LANG_KEY = "jobfair.lang";
function chooseLang() {
	let saved = null;
	try { saved = localStorage.getItem(LANG_KEY); } catch (e) { /* storage off */ }
	if (saved === "ja" || saved === "en") return saved;
	for (const l of navigator.languages || [navigator.language || ""]) {
		const base = String(l).toLowerCase().split("-")[0];
		if (base === "ja" || base === "en") return base;
	}
	return "ja";
}
export const lang = chooseLang();
const english = lang === "en";
// Only a page in English loads the dictionary; without it (offline, not
// kept) the page stays in Japanese rather than failing.
const ENGLISH = english ? (await import("/i18n.js").catch(() => ({ default: {} }))).default : {};

// Kana and kanji; not "・", which also joins English and figures.
const JAPANESE = /[\u3040-\u30fa\u30fc-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
const exact = new Map();
const patterns = [];
function learn(ja, en) {
	if (!ja || !en || exact.has(ja)) return;
	exact.set(ja, en);
	if (!ja.includes("{")) return;
	const names = [];
	const source = ja.split(/(\{\w+\})/).map((part) => {
		const m = /^\{(\w+)\}$/.exec(part);
		if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
		names.push(m[1]);
		return /^n\d*$/.test(m[1]) ? "([-+0-9０-９,.%—]+)" : "(.+?)";
	}).join("");
	// A pattern with no Japanese word of its own ("{name}（{role}）") would
	// match anything: it is for t() only.
	const literal = ja.replace(/\{\w+\}/g, "");
	if (JAPANESE.test(literal)) patterns.push({ re: new RegExp("^" + source + "$"), names, en, weight: literal.length });
}
for (const [ja, en] of Object.entries(ENGLISH)) learn(ja, en);
// The longest literal first: "{title} {n}人 / 目標 {n2}人" before "{title} {n}人".
patterns.sort((a, b) => b.weight - a.weight);

function fill(template, vars) {
	return template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

// A figure as the reports write it ("30社・100人", "626件 (666件)",
// "(1回)11人"): numbers with units, said with English units.
const FIGURE = /^[-\d\s()（）・:：%.,—/]*[社人件回][-\d\s()（）・:：%.,—/社人件回]*$/;
const UNITS = { 社: ["company", "companies"], 人: ["person", "people"], 件: ["case", "cases"], 回: ["session", "sessions"] };
function figure(core) {
	return core.replace(/(\d[\d,.]*)?\s*([社人件回])/g, (m, n, u) => (n ? n + " " : " ") + UNITS[u][n === "1" ? 0 : 1])
		.replace(/\s*・\s*/g, " · ")
		.replace(/\)(?=[^\s)])/g, ") ").trim();
}

// `tag` picks a key "日本語|label" over "日本語" for a word said
// differently by where it stands ("イベント": the page "Events", the
// field "Event").
function translated(s, depth = 0, tag = "") {
	const core = s.trim();
	// English labels or figures a script joined with "、" or "・".
	if (!JAPANESE.test(core)) return /[、・]/.test(core) ? s.replace(/、/g, ", ").replace(/\s*・\s*/g, " · ") : null;
	const hit = (tag ? exact.get(core + "|" + tag) : undefined) ?? exact.get(core);
	if (hit !== undefined && !core.includes("{")) return s.replace(core, () => hit);
	if (FIGURE.test(core)) return s.replace(core, () => figure(core));
	if (depth > 2) return null;
	for (const p of patterns) {
		const m = p.re.exec(core);
		if (!m) continue;
		const vars = {};
		p.names.forEach((k, i) => { vars[k] = translated(m[i + 1], depth + 1) ?? m[i + 1]; });
		return s.replace(core, () => fill(p.en, vars));
	}
	// Sentences joined by a script ("受付OK。山田 花子。配慮 車いす"):
	// each said on its own, a name left as it is.
	const parts = core.split("。");
	if (parts.length > 1 && depth === 0) {
		const said = parts.map((x) => (x ? translated(x, depth + 1) : x));
		if (said.some((x) => x !== null))
			return s.replace(core, () => said.map((x, i) => x ?? parts[i]).join(". ").trim());
	}
	return null;
}

// t("日本語") for text a script builds or uses outside the page (a
// status line, a file name): English when the page is, else as given.
// t("「{name}」を保存しました。", {name}) fills the placeholders in
// either language.
export function t(ja, vars = {}) {
	const en = english ? exact.get(ja) : undefined;
	if (en !== undefined) return fill(en, vars);
	const s = fill(ja, vars);
	return english ? (translated(s) ?? s) : s;
}

const ATTRS = ["label", "aria-label", "placeholder", "title", "alt"];
const SKIP = new Set(["SCRIPT", "STYLE", "TEXTAREA", "CODE", "PRE"]);
const missing = new Set();
// What this code wrote, so that its own change is not taken for the page's.
const written = new WeakMap();
function skipped(node) {
	return SKIP.has(node.tagName) || node.closest("[translate=no]") !== null;
}
function translateText(node) {
	const parent = node.parentElement;
	if (!parent || skipped(parent)) return;
	if (written.get(node) === node.data) return;
	const en = translated(node.data, 0, parent.localName);
	if (en !== null) { node.data = en; written.set(node, en); return; }
	if (!JAPANESE.test(node.data)) return;
	// Left in Japanese (a name, or a string the dictionary lacks): read
	// as Japanese.
	missing.add(node.data.trim());
	if (parent.childNodes.length === 1 && parent !== document.body && !parent.hasAttribute("lang"))
		parent.setAttribute("lang", "ja");
}
function translateAttr(elem, name) {
	const v = elem.getAttribute(name);
	if (v === null || skipped(elem)) return;
	if (written.get(elem)?.[name] === v) return;
	const en = translated(v);
	if (en !== null) {
		written.set(elem, { ...written.get(elem), [name]: en });
		elem.setAttribute(name, en);
	}
	else if (JAPANESE.test(v)) missing.add(v.trim());
}
function translateTree(root) {
	if (root.nodeType === Node.TEXT_NODE) { translateText(root); return; }
	if (root.nodeType !== Node.ELEMENT_NODE || skipped(root)) return;
	const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
		acceptNode: (n) => (n.nodeType === Node.ELEMENT_NODE && skipped(n) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
	});
	const texts = [];
	for (let n = root; n; n = walker.nextNode()) {
		if (n.nodeType === Node.TEXT_NODE) texts.push(n);
		else for (const a of ATTRS) if (n.hasAttribute(a)) translateAttr(n, a);
	}
	texts.forEach(translateText);
}
// What stayed Japanese, for the tests and for whoever adds translations.
window.jobfairUntranslated = () => [...missing];

// The switch: two buttons in the header (or at the top of a page with
// none), the current one pressed. The choice is kept in localStorage and
// the page reloaded, so everything it built is built again in the new
// language.
export const langSwitch = el("div", { class: "lang-switch", role: "group", "aria-label": "表示言語 Language", translate: "no" },
	...[["ja", "日本語"], ["en", "English"]].map(([code, name]) =>
		el("button", { type: "button", class: "secondary", lang: code, "aria-pressed": String(code === lang),
			onclick: () => {
				if (code === lang) return;
				try { localStorage.setItem(LANG_KEY, code); } catch (e) { /* storage off: this page only */ }
				location.reload();
			} }, name)));

document.documentElement.lang = lang;
// A page with a header of its own gets the switch in it; startPage's
// header takes it over.
const pageHeader = document.querySelector("body > header");
if (pageHeader) pageHeader.append(langSwitch);
else document.body.prepend(el("header", { class: "lang-bar" }, langSwitch));
if (english) {
	translateTree(document.documentElement);
	new MutationObserver((records) => {
		for (const r of records) {
			if (r.type === "childList") r.addedNodes.forEach(translateTree);
			else if (r.type === "characterData") translateText(r.target);
			else translateAttr(r.target, r.attributeName);
		}
	}).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS });
}

export class ApiError extends Error {
	constructor(status, body) {
		const e = (body && body.error) || {};
		super(e.message || `HTTP ${status}`);
		this.status = status;
		this.fields = e.fields || {};
		this.body = body;
	}
}

let csrf = null;
let signedIn = null;

// A refusal nothing on the page was waiting for (a list reloading, the
// server away) is said in the page's status line rather than lost.
window.addEventListener("unhandledrejection", (ev) => {
	if (!(ev.reason instanceof ApiError)) return;
	ev.preventDefault();
	announce(message(ev.reason.message) || "処理できませんでした。", "info");
});

// Fetches /api/v1 + path. A JSON body is sent as JSON; a Blob, File or
// ArrayBuffer as it is (with `type`). Answers the parsed JSON (null for
// 204), or the Response itself with {raw: true}. Throws ApiError for
// 4xx/5xx; a 401 on a page (not the sign-in itself) goes back to sign-in.
export async function api(method, path, body, opts = {}) {
	// opts.headers: an access link's Authorization (the dashboard by link).
	const headers = { Accept: "application/json", ...(opts.headers || {}) };
	// opts.signal lets a caller give up on a slow answer (the desk goes
	// offline after a few seconds); that is told as no connection.
	const init = { method, headers, credentials: "same-origin", signal: opts.signal };
	if (body !== undefined) {
		if (body instanceof Blob || body instanceof ArrayBuffer) {
			init.body = body;
			headers["Content-Type"] = opts.type || "application/octet-stream";
		} else {
			init.body = JSON.stringify(body);
			headers["Content-Type"] = "application/json";
		}
	}
	if (method !== "GET" && method !== "HEAD" && csrf)
		headers["X-CSRF-Token"] = csrf;
	let res;
	try {
		res = await fetch("/api/v1" + path, init);
	} catch (e) {
		throw new ApiError(0, { error: { message: "サーバーに接続できません。ネットワークを確認して、もう一度お試しください。" } });
	}
	if (res.status === 401 && !opts.signIn && signedIn) {
		signedIn = null;
		location.assign("/?expired=1&next=" + encodeURIComponent(location.pathname + location.search));
		// Nothing more happens on this page: it is being left.
		return new Promise(() => {});
	}
	if (!res.ok) {
		let data = null;
		try { data = await res.json(); } catch (e) { /* not JSON */ }
		throw new ApiError(res.status, data);
	}
	if (opts.raw) return res;
	if (res.status === 204) return null;
	return res.json();
}

// Reads every page of a list ({items, next}).
export async function apiAll(path) {
	const items = [];
	let after = null;
	for (;;) {
		const sep = path.includes("?") ? "&" : "?";
		const page = await api("GET", path + sep + "limit=500" + (after ? "&after=" + after : ""));
		items.push(...page.items);
		if (!page.next) return items;
		after = page.next;
	}
}

export async function signIn(name, password) {
	const s = await api("POST", "/session", { name, password }, { signIn: true });
	csrf = s.csrf;
	signedIn = s.user;
	return s.user;
}

export async function currentUser() {
	try {
		const s = await api("GET", "/session", undefined, { signIn: true });
		csrf = s.csrf;
		signedIn = s.user;
		return s.user;
	} catch (e) {
		if (e.status === 401) return null;
		throw e;
	}
}

export async function signOut() {
	try { await api("DELETE", "/session", undefined, { signIn: true }); } catch (e) { /* gone already */ }
	signedIn = null;
	csrf = null;
	localStorage.removeItem(LAST_USER);
	location.assign("/");
}

// The menu, by role. Hiding a page is not security: the server refuses
// what a role may not do; this only spares people dead ends.
export const PAGES = [
	{ href: "/events.html", label: "イベント", roles: ["admin", "organizer", "viewer"] },
	{ href: "/companies.html", label: "企業", roles: ["admin", "organizer"] },
	{ href: "/desk.html", label: "受付", roles: ["admin", "organizer", "frontdesk"] },
	{ href: "/booth.html", label: "面談", roles: ["admin", "organizer", "frontdesk"] },
	{ href: "/dashboard.html", label: "受付状況", roles: ["admin", "organizer", "frontdesk", "viewer"] },
	{ href: "/seekers.html", label: "求職者", roles: ["admin", "organizer", "frontdesk"] },
	{ href: "/reports.html", label: "レポート", roles: ["admin", "organizer", "frontdesk", "viewer"] },
	{ href: "/targets.html", label: "目標値", roles: ["admin", "organizer", "viewer"] },
	{ href: "/admin.html", label: "管理", roles: ["admin"] },
];

export const ROLE_LABELS = { admin: "管理者", organizer: "主催者", frontdesk: "受付", viewer: "閲覧者" };

// Where a role starts: the front desk at its desk page, a viewer at the
// aggregates.
export function landing(role) {
	if (role === "frontdesk") return "/seekers.html";
	if (role === "viewer") return "/reports.html";
	return "/events.html";
}

export function el(tag, attrs = {}, ...children) {
	const node = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === null || v === undefined || v === false) continue;
		if (k === "class") node.className = v;
		else if (k === "text") node.textContent = v;
		else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
		else node.setAttribute(k, v === true ? "" : v);
	}
	for (const c of children.flat()) {
		if (c === null || c === undefined || c === false) continue;
		node.append(c instanceof Node ? c : String(c));
	}
	return node;
}

function header(user, current) {
	const links = PAGES.filter((p) => p.roles.includes(user.role)).map((p) =>
		el("li", {}, el("a", { href: p.href, "aria-current": p.href === current ? "page" : null }, p.label)));
	return el("header", { class: "site" },
		el("a", { class: "skip-link", href: "#main" }, "本文へ移動"),
		el("div", { class: "bar" },
			el("a", { class: "brand", href: landing(user.role) }, "就職面接会 管理"),
			el("nav", { class: "main", "aria-label": "メインメニュー" }, el("ul", {}, links)),
			el("div", { class: "who" },
				el("span", {}, t("{name}（{role}）", { name: user.name, role: t(ROLE_LABELS[user.role] || user.role) })),
				langSwitch,
				el("button", { type: "button", class: "secondary", id: "sign-out", onclick: signOut }, "サインアウト"))));
}

// Starts a page: the signed-in user (else back to sign-in) and the
// header. A role the page is not for is told so, not shown an empty page.
// A page that works offline (the desk) passes { offline: true }: when the
// server cannot be reached it starts as the user last signed in on this
// browser (name and role only, kept in localStorage; the server still
// judges every request once it is back).
const LAST_USER = "jobfair.user";
export async function startPage(current, { offline = false } = {}) {
	let user;
	try {
		user = await currentUser();
	} catch (e) {
		user = offline && e.status === 0 ? JSON.parse(localStorage.getItem(LAST_USER) || "null") : null;
		if (!user) throw e;
		user.offline = true;
	}
	if (user && !user.offline) localStorage.setItem(LAST_USER, JSON.stringify({ name: user.name, role: user.role }));
	if (!user) {
		location.assign("/?next=" + encodeURIComponent(location.pathname + location.search));
		return new Promise(() => {});
	}
	document.body.prepend(header(user, current));
	document.querySelector(".lang-bar")?.remove();
	// The vocabulary's English, for labels a page shows as label_ja.
	if (english) vocab();
	const page = PAGES.find((p) => p.href === current);
	if (page && !page.roles.includes(user.role)) {
		const main = document.getElementById("main");
		main.replaceChildren(el("h1", {}, page.label),
			el("p", {}, "このページを使う権限がありません。"),
			el("p", {}, el("a", { href: landing(user.role) }, "あなたのページへ")));
		return new Promise(() => {});
	}
	return user;
}

// Messages the server writes in English, in Japanese for the clerk;
// anything else is shown as the server wrote it.
const MESSAGES = {
	"is required": "入力してください",
	"check digit does not match": "チェックデジットが一致しません（番号を確認してください）",
	"must be 13 digits": "13桁の数字で入力してください",
	"must be 7 digits": "7桁の数字で入力してください",
	"must be katakana or hiragana": "カタカナまたはひらがなで入力してください",
	"is too long": "長すぎます",
	"is out of range": "範囲外の値です",
	"must be a whole number": "整数で入力してください",
	"is not one of the allowed values": "選択肢から選んでください",
	"contains a value that is not allowed": "選べない値が含まれています",
	"is listed twice": "同じものが二度選ばれています",
	"must not contain spaces": "空白を含めないでください",
	"must be after starts_at": "開始日時より後にしてください",
	"is below the number already registered": "すでに登録済みの人数より少なくできません",
	"is not a known event type": "種類を選んでください",
	"already exists": "すでに登録されています",
	"give birth_date or age, not both": "生年月日と年齢はどちらか一方だけ入力してください",
	"must be true": "同意が必要です",
	"this person is already registered for the event": "この方はすでにこのイベントに登録されています",
	"the event is full": "定員に達しています",
	"the event is closed for registration": "このイベントは受付を終了しています",
	"the registration is already cancelled": "すでにキャンセルされています",
	"must make the person 15 to 120 years old at the event": "イベント当日に15～120歳となる日付にしてください",
	"must be at most 254 bytes": "長すぎます",
	"your role may not use this operation": "この操作を行う権限がありません",
	"invalid input": "入力内容に誤りがあります",
	"no such job seeker": "このイベントの求職者のQRコードではありません",
	"is not a check-in token": "求職者のQRコードではありません",
	"is registered for another event": "別のイベントに登録されている方です",
	"registration is cancelled": "この登録は取り消されています",
	"company has no booth at this event": "この企業はこのイベントに出展していません",
	"company cancelled its booth": "このブースは出展を取り消しています",
	"no such queue entry": "このブースの列にいない方です",
	"has no booth at this event": "このイベントにブースがありません",
	"a dashboard link is for the whole event": "受付状況のリンクには企業を選べません",
	"must be in the future": "これから先の日時にしてください",
	"must be at most 7 days after the event ends": "イベント終了から7日以内にしてください",
};

export function message(text) {
	if (!text) return "";
	return t(MESSAGES[text] || text);
}

// A live region every page shares, so results are announced.
export function announce(text, kind = "ok") {
	let box = document.getElementById("status");
	if (!box) {
		box = el("div", { id: "status", role: "status", "aria-live": "polite" });
		document.getElementById("main").prepend(box);
	}
	box.replaceChildren(text ? el("p", { class: kind === "ok" ? "notice" : "notice info" }, text) : "");
}

export function clearErrors(form) {
	form.querySelectorAll(".error-summary").forEach((n) => n.remove());
	form.querySelectorAll(".field-error").forEach((n) => n.remove());
	form.querySelectorAll(".has-error").forEach((n) => n.classList.remove("has-error"));
	form.querySelectorAll("[aria-invalid]").forEach((n) => {
		n.removeAttribute("aria-invalid");
		const ids = (n.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-error"));
		if (ids.length) n.setAttribute("aria-describedby", ids.join(" "));
		else n.removeAttribute("aria-describedby");
	});
}

// The control that stands for a server field name ("disability.handbook",
// "openings[0].title" fall back to their first part).
function control(form, name) {
	const c = form.elements.namedItem(name) || form.elements.namedItem(name.split(/[.[]/)[0]);
	if (!c) return null;
	return c instanceof RadioNodeList ? c[0] : c;
}

export function setFieldError(form, name, text) {
	const c = control(form, name);
	if (!c) return null;
	const box = c.closest(".field, fieldset") || c.parentElement;
	if (box.querySelector(".field-error")) return c;
	box.classList.add("has-error");
	const id = c.id + "-error";
	const err = el("span", { class: "field-error", id },
		el("span", { class: "visually-hidden" }, t("エラー：")), text);
	const label = box.querySelector(":scope > label, :scope > legend");
	const hint = box.querySelector(":scope > .hint");
	(hint || label) ? (hint || label).after(err) : box.prepend(err);
	c.setAttribute("aria-invalid", "true");
	c.setAttribute("aria-describedby", [c.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
	return c;
}

function fieldLabel(form, c, name) {
	const box = c && (c.closest(".field, fieldset"));
	const l = box && box.querySelector(":scope > label, :scope > legend");
	return l ? l.textContent.replace("（必須）", "").trim() : name;
}

// Shows a failed request on its form: each field's error next to it and
// a summary at the top whose links move to the fields; focus goes to the
// summary so a screen reader reads it.
export function showErrors(form, err) {
	clearErrors(form);
	const items = [];
	for (const [name, why] of Object.entries(err.fields || {})) {
		const picked = control(form, name);
		const said = picked && picked.tagName === "SELECT" && why === "is required" ? t("選んでください") : message(why);
		const c = setFieldError(form, name, said);
		const text = fieldLabel(form, c, name) + t("：") + said;
		items.push(el("li", {}, c
			? el("a", { href: "#" + c.id, onclick: (ev) => { ev.preventDefault(); c.focus(); } }, text)
			: text));
	}
	if (items.length === 0) items.push(el("li", {}, message(err.message) || t("処理できませんでした")));
	const summary = el("div", { class: "error-summary", role: "alert", tabindex: "-1", "aria-labelledby": form.id + "-summary-title" },
		el("h2", { id: form.id + "-summary-title" }, err.status === 403 ? "この操作はできません" : "入力内容を確認してください"),
		el("ul", {}, items));
	form.prepend(summary);
	summary.focus();
}

// A form's values as the API's JSON: empty fields left out (or null when
// `clear` is set, to empty them on edit), numbers as numbers.
export function formJSON(form, { clear = false } = {}) {
	const out = {};
	for (const c of form.elements) {
		if (!c.name || c.disabled || c.type === "submit" || c.type === "button" || c.type === "file") continue;
		if (c.type === "checkbox" && c.dataset.list) {
			(out[c.name] ||= []);
			if (c.checked) out[c.name].push(c.value);
			continue;
		}
		if (c.type === "checkbox") { out[c.name] = c.checked; continue; }
		if (c.type === "radio") { if (c.checked) out[c.name] = c.value; continue; }
		const v = c.value.trim();
		if (v === "") { if (clear) out[c.name] = null; continue; }
		if (c.type === "number") out[c.name] = Number(v);
		else if (c.type === "datetime-local") out[c.name] = v.length === 16 ? v + ":00+09:00" : v + "+09:00";
		else out[c.name] = v;
	}
	return out;
}

// Times in Japan's time whatever the PC's zone.
const JST = "Asia/Tokyo";
export function dateTime(iso) {
	if (!iso) return "";
	return new Intl.DateTimeFormat("ja-JP", { timeZone: JST, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}
export function localInput(iso) {
	// "2024-10-15T10:00:00+09:00" → "2024-10-15T10:00" for datetime-local.
	if (!iso) return "";
	const p = new Intl.DateTimeFormat("sv-SE", { timeZone: JST, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
	return p.replace(" ", "T");
}

// 令和6年度 for fiscal year 2024: the era of the year's first day (1 April)
// by the browser's Japanese calendar.
export function wareki(fy) {
	const era = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", { timeZone: JST, era: "long", year: "numeric" })
		.format(new Date(Date.UTC(fy, 3, 1, 3)));
	return era.replace(/年$/, "年度").replace(/^(\D+)1年度$/, "$1元年度");
}
export function fiscalYearOf(date = new Date()) {
	const [y, m] = new Intl.DateTimeFormat("sv-SE", { timeZone: JST, year: "numeric", month: "2-digit" }).format(date).split("-").map(Number);
	return m >= 4 ? y : y - 1;
}
// The one place a fiscal year is named: 令和6年度（2024年度）, and in
// English FY2024 (Reiwa 6).
const ERAS = { 令和: "Reiwa", 平成: "Heisei", 昭和: "Showa" };
export function fyLabel(fy) {
	if (!english) return `${wareki(fy)}（${fy}年度）`;
	const m = /^(\D+?)(\d+|元)年度$/.exec(wareki(fy));
	return m ? `FY${fy} (${ERAS[m[1]] || m[1]} ${m[2] === "元" ? 1 : m[2]})` : `FY${fy}`;
}

export function percent(actual, target) {
	if (!target) return "—";
	return (Math.round((actual / target) * 1000) / 10).toFixed(1) + "%";
}

// Labels of the vocabulary's codes, as the server defines them.
let vocabulary = null;
let vocabLoad = null;
export function vocab() {
	vocabLoad ||= (async () => {
		let v = {};
		try { v = await api("GET", "/vocabulary"); } catch (e) { /* labels stay codes */ }
		// A page that shows a label_ja itself is translated too, with the
		// server's English (the dictionary's own entries come first).
		if (english) for (const list of Object.values(v)) for (const x of list) learn(x.label_ja, x.label_en);
		vocabulary = v;
		if (english) translateTree(document.body);
		return v;
	})();
	return vocabLoad;
}
// A term's label in the page's language.
export function termLabel(term) { return english ? term.label_en : term.label_ja; }
export function label(kind, code) {
	const list = (vocabulary && vocabulary[kind]) || [];
	const x = list.find((y) => y.code === code);
	return x ? termLabel(x) : code;
}
export function terms(kind) { return (vocabulary && vocabulary[kind]) || []; }

// One checkbox per code of a vocabulary list, into the element boxId; the
// form sends the checked codes as a list (formJSON, data-list).
export function checkboxes(boxId, name, kind) {
	document.getElementById(boxId).replaceChildren(...terms(kind).map((t) =>
		el("label", { class: "choice", for: `${boxId}-${t.code}` },
			el("input", { type: "checkbox", id: `${boxId}-${t.code}`, name, value: t.code, "data-list": "1" }), termLabel(t))));
}

export function download(blob, name) {
	const a = el("a", { href: URL.createObjectURL(blob), download: name });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// The 受付票's layouts (print.c): the choice beside every 受付票 button.
export function slipLayouts(select) {
	select.replaceChildren(el("option", { value: "sheet" }, "A4に3人分（切り取り線つき）"),
		el("option", { value: "page" }, "A4に1人分"));
	return select;
}

// A button that fetches a document the server draws (PDF, .xlsx) with
// the session and saves it under the server's file name. Fetched rather
// than linked so that a refusal is said on the page instead of opening a
// JSON error, and so that the button can say it is working: a thousand
// 受付票 take seconds. path() is read at the click (choices beside it).
export function fileButton(text, what, path, attrs = {}) {
	const b = el("button", { type: "button", class: "secondary", ...attrs }, text);
	b.addEventListener("click", async () => {
		const p = path();
		if (!p || b.getAttribute("aria-busy") === "true") return;
		b.setAttribute("aria-busy", "true");
		b.disabled = true;
		b.textContent = `${what}を作成中…`;
		try {
			const res = await api("GET", p, undefined, { raw: true });
			const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "");
			download(await res.blob(), name ? name[1] : "download");
			// A character no font has prints as a box with its code point.
			const warning = res.headers.get("X-Jobfair-Warning");
			announce(warning
				? `${what}をダウンロードしました。ただし、印刷できない文字が□で印刷されています。該当する方の登録内容を確認してください（${warning}）。`
				: `${what}をダウンロードしました。`, warning ? "info" : "ok");
		} catch (e) {
			announce(`${what}を作成できませんでした。${message(e.message)}`, "info");
		} finally {
			b.textContent = text;
			b.disabled = false;
			b.removeAttribute("aria-busy");
		}
	});
	return b;
}

// A <select> of fiscal years around the current one.
export function fiscalYearOptions(select, selected) {
	const now = fiscalYearOf();
	select.replaceChildren(...Array.from({ length: 8 }, (_, i) => now + 1 - i).map((fy) =>
		el("option", { value: fy, selected: fy === selected }, fyLabel(fy))));
}

export function table(caption, heads, rows, cls = null) {
	return el("div", { class: "table-wrap" },
		el("table", { class: cls },
			el("caption", {}, caption),
			el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col", class: h.num ? "num" : null }, h.label || h)))),
			el("tbody", {}, rows)));
}

export function queryParam(name) { return new URLSearchParams(location.search).get(name); }

// A CSV upload form (companies, job seekers): the file goes to the
// server as it is; the server checks every row and imports all or none.
// Its answer is shown as "N行目 列：理由" with the rejected rows to
// download, in the file's own encoding.
export function csvImport(form, path, rejectedName, onImported) {
	const out = form.querySelector(".import-result");
	async function send(dry) {
		clearErrors(form);
		out.replaceChildren();
		const file = form.elements.file.files[0];
		if (!file) { showErrors(form, { fields: { file: "CSVファイルを選んでください" } }); return; }
		try {
			const r = await api("POST", path() + (dry ? "?dry_run=1" : ""), file, { type: "text/csv" });
			out.replaceChildren(el("p", { class: "notice", role: "status" }, dry
				? t("{n}行すべて取り込めます（まだ取り込んでいません）。", { n: r.valid })
				: t("{n}行を取り込みました。", { n: r.imported })));
			if (!dry) { form.reset(); onImported(r); }
		} catch (e) {
			const err = e.body && e.body.error;
			if (!err || !err.rows) { showErrors(form, e); return; }
			const rows = err.rows.map((x) => el("li", {},
				t("{n}行目", { n: x.row }) + (x.column ? " " + x.column : "") + t("：") + message(x.error)));
			const parts = [el("h2", { id: form.id + "-rows-title" }, t("取り込めない行があります（{n}件）。何も取り込んでいません。", { n: err.rows.length })),
				el("ul", {}, rows)];
			if (err.rejected_csv) {
				const bytes = Uint8Array.from(atob(err.rejected_csv), (c) => c.charCodeAt(0));
				parts.push(el("p", {}, "エラーの行だけを、エラー列を付けて元の文字コードのまま保存できます。直して、そのまま取り込めます。"),
					el("button", { type: "button", class: "secondary", onclick: () => download(new Blob([bytes], { type: "text/csv" }), rejectedName) },
						"エラーの行をダウンロード"));
			}
			const box = el("div", { class: "error-summary", role: "alert", tabindex: "-1", "aria-labelledby": form.id + "-rows-title" }, parts);
			out.replaceChildren(box);
			box.focus();
		}
	}
	form.addEventListener("submit", (ev) => { ev.preventDefault(); send(false); });
	form.querySelector("[data-dry-run]").addEventListener("click", () => send(true));
}

// RFC 4180: quoted fields, doubled quotes, CRLF; the BOM dropped.
function parseCSV(text) {
	const rows = [];
	let row = [], cell = "", quoted = false;
	text = text.replace(/^\ufeff/, "");
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
			else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ",") { row.push(cell); cell = ""; }
		else if (c === "\n" || c === "\r") {
			if (c === "\r" && text[i + 1] === "\n") i++;
			row.push(cell); rows.push(row); row = []; cell = "";
		} else cell += c;
	}
	if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
	return rows;
}

// A report as the server writes its CSV (UTF-8): rows of cells.
export async function apiCSV(path) {
	const res = await api("GET", path + "?format=csv", undefined, { raw: true });
	return parseCSV(await res.text());
}

// ---- event day: what the desk (受付) and the booth (面談) pages share ----

// The events as a <select>'s options, the newest first; answers them.
export async function eventOptions(select) {
	const events = await apiAll("/events");
	events.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
	select.replaceChildren(...events.map((e) =>
		el("option", { value: e.id }, `${e.title}（${fyLabel(e.fiscal_year)} ${dateTime(e.starts_at)}）`)));
	return events;
}

// A code as the server reads it: spaces around it dropped, upper case.
export function scanCode(code) {
	return code.trim().toUpperCase();
}

// A scan field: a USB scanner types the code and Enter into it. Each
// code goes to onCode at once and the field is emptied for the next, so
// a code typed while an answer is on screen is never lost. The field
// keeps focus unless staff are on a button or link of `screen`.
export function scanField(form, input, screen, onCode) {
	form.addEventListener("submit", (ev) => {
		ev.preventDefault();
		const code = scanCode(input.value);
		input.value = "";
		if (code) onCode(code);
	});
	document.addEventListener("focusout", () => setTimeout(() => {
		const a = document.activeElement;
		if (!screen.hidden && (!a || a === document.body)) input.focus();
	}, 0));
}

// A short generated tone sequence ([frequency Hz or 0 for a pause,
// seconds]…), so staff looking at the person, not the screen, hear the
// answer. No audio device: the colour and the word still say it.
let audio = null;
export function tones(seq, wave = "sine") {
	try {
		audio = audio || new AudioContext();
		let t = audio.currentTime + 0.01;
		for (const [freq, len] of seq) {
			if (freq > 0) {
				const osc = audio.createOscillator();
				const gain = audio.createGain();
				osc.type = wave;
				osc.frequency.value = freq;
				gain.gain.setValueAtTime(0.25, t);
				gain.gain.exponentialRampToValueAtTime(0.001, t + len);
				osc.connect(gain).connect(audio.destination);
				osc.start(t);
				osc.stop(t + len);
			}
			t += len;
		}
	} catch (e) {
		// No audio device.
	}
}
