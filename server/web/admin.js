// 管理 (admin): users (add, role, password reset, revoke), the audit log
// with filters and CSV, the mail queue, and each event's scan log with
// refused scans.
import { api, apiAll, startPage, el, table, formJSON, showErrors, clearErrors, announce, dateTime, fyLabel,
	ROLE_LABELS, vocab, label, terms, termLabel } from "/app.js";

const me = await startPage("/admin.html");
await vocab();
const userForm = document.getElementById("user-form");
let editing = null;

async function loadUsers() {
	const { items } = await api("GET", "/users");
	document.getElementById("users").replaceChildren(table(`ユーザー（${items.length}人）`,
		["ユーザー名", "役割", "状態", "パスワード", "作成日時", "操作"],
		items.map((u) => el("tr", { class: u.revoked ? "cancelled" : null },
			el("th", { scope: "row" }, u.name),
			el("td", {}, ROLE_LABELS[u.role] || u.role),
			el("td", {}, u.revoked ? "無効" : "有効"),
			el("td", {}, u.has_password ? "設定済み" : "未設定"),
			el("td", {}, dateTime(u.created_at)),
			el("td", {}, u.revoked ? "" : el("div", { class: "actions" },
				el("button", { type: "button", class: "secondary", "aria-label": `${u.name}を編集`, onclick: () => edit(u) }, "編集"),
				u.id === me.id ? "" : el("button", { type: "button", class: "danger", "aria-label": `${u.name}を無効にする`, onclick: () => revoke(u) }, "無効にする")))))));
}

function edit(u) {
	editing = u;
	clearErrors(userForm);
	userForm.reset();
	userForm.elements.name.value = u.name;
	userForm.elements.name.disabled = true;
	userForm.elements.role.value = u.role;
	document.getElementById("user-form-title").textContent = `「${u.name}」を編集`;
	document.getElementById("user-form-new").hidden = false;
	document.getElementById("user-token").replaceChildren();
	userForm.elements.role.focus();
}
function fresh() {
	editing = null;
	userForm.reset();
	userForm.elements.name.disabled = false;
	document.getElementById("user-form-title").textContent = "ユーザーを追加";
	document.getElementById("user-form-new").hidden = true;
}

async function revoke(u) {
	try {
		await api("PATCH", `/users/${u.id}`, { revoked: true });
		announce(`${u.name}を無効にしました。サインイン中の画面もすぐに使えなくなります。`);
		await loadUsers();
	} catch (e) { announce(e.message, "info"); }
}

userForm.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const body = formJSON(userForm);
	try {
		if (editing) {
			const u = await api("PATCH", `/users/${editing.id}`, body);
			announce(`${u.name}を保存しました。`);
			fresh();
		} else {
			const u = await api("POST", "/users", body);
			announce(`${u.name}を追加しました。`);
			fresh();
			if (u.token) document.getElementById("user-token").replaceChildren(el("p", { class: "notice" },
				"コマンドラインで使うAPIトークン（この一度だけ表示します）：", el("code", {}, u.token)));
		}
		await loadUsers();
	} catch (e) { showErrors(userForm, e); }
});
document.getElementById("user-form-new").addEventListener("click", fresh);
userForm.elements.role.replaceChildren(el("option", { value: "" }, "選んでください"), ...Object.entries(ROLE_LABELS).map(([code, l]) => el("option", { value: code }, l)));

// The audit log, a page of 100 entries at a time, newest first. The
// filters are read when 表示 is pressed; paging keeps them, and the CSV
// link downloads every entry they select.
const AUDIT_PAGE = 100;
const auditForm = document.getElementById("audit-form");
const auditPrev = document.getElementById("audit-prev");
const auditNext = document.getElementById("audit-next");
let auditFilters = {};
let auditOffset = 0;
function actionLabel(code) {
	const o = [...auditForm.elements.kind.options].find((x) => x.value === code);
	return o ? o.textContent : code;
}
async function loadAudit() {
	try {
		const r = await api("GET", "/audit?" + new URLSearchParams({ ...auditFilters, limit: AUDIT_PAGE, offset: auditOffset }));
		document.getElementById("audit-csv").href = "/api/v1/audit.csv?" + new URLSearchParams(auditFilters);
		const first = r.items.length ? auditOffset + 1 : 0;
		document.getElementById("audit").replaceChildren(r.items.length === 0 ? el("p", {}, "操作記録はありません。") :
			table(`操作記録（全${r.total}件中${first}～${auditOffset + r.items.length}件目）`,
				["日時", "ユーザー名", "操作内容", "対象", "番号", "詳細"],
				r.items.map((a) => el("tr", {},
					el("td", {}, dateTime(a.at)), el("td", {}, a.user || ""), el("td", {}, actionLabel(a.action)),
					el("td", {}, a.entity || ""), el("td", { class: "num" }, a.entity_id ?? ""),
					el("td", {}, a.detail ? (typeof a.detail === "string" ? a.detail : JSON.stringify(a.detail)) : "")))));
		const focused = document.activeElement;
		auditPrev.disabled = auditOffset === 0;
		auditNext.disabled = auditOffset + r.items.length >= r.total;
		document.getElementById("audit-pages").hidden = r.total <= AUDIT_PAGE;
		// A button that just became disabled would drop the focus.
		if (focused && focused.disabled) (focused === auditNext ? auditPrev : auditNext).focus();
	} catch (e) { showErrors(auditForm, e); }
}
auditForm.addEventListener("submit", (ev) => {
	ev.preventDefault();
	clearErrors(auditForm);
	auditFilters = formJSON(auditForm);
	auditOffset = 0;
	loadAudit();
});
auditPrev.addEventListener("click", () => { auditOffset = Math.max(0, auditOffset - AUDIT_PAGE); loadAudit(); });
auditNext.addEventListener("click", () => { auditOffset += AUDIT_PAGE; loadAudit(); });

// The mail outbox: counts by state and the last errors (no addresses).
async function loadMail() {
	const r = await api("GET", "/mail");
	const c = r.counts;
	document.getElementById("mail").replaceChildren(
		table("メールの件数", ["送信待ち", "再送待ち", "送信済み", "送信できず", "最も古い送信待ち"],
			[el("tr", {}, el("td", { class: "num" }, c.queued), el("td", { class: "num" }, c.retrying),
				el("td", { class: "num" }, c.sent), el("td", { class: "num" }, c.failed),
				el("td", {}, c.oldest_waiting_at ? dateTime(c.oldest_waiting_at) : "なし"))]),
		r.errors.length === 0 ? el("p", {}, "送信エラーはありません。") :
			table(`最近の送信エラー（${r.errors.length}件）`, ["番号", "種類", "宛先ドメイン", "試行", "エラー", "次の試行／断念"],
				r.errors.map((e) => el("tr", { class: e.failed_at ? "cancelled" : null },
					el("td", { class: "num" }, e.id), el("td", {}, label("mail_kinds", e.kind)), el("td", {}, e.to_domain),
					el("td", { class: "num" }, e.attempts), el("td", {}, e.last_error),
					el("td", {}, e.failed_at ? `断念（${dateTime(e.failed_at)}）` : dateTime(e.next_attempt_at))))));
}

// The scan log of an event, refused scans included.
const scanForm = document.getElementById("scan-form");
async function loadScans() {
	const v = formJSON(scanForm);
	if (!v.event) return;
	try {
		const r = await api("GET", `/events/${v.event}/scans?limit=200` + (v.result ? "&result=" + v.result : ""));
		document.getElementById("scans").replaceChildren(r.items.length === 0 ? el("p", {}, "スキャンの記録はありません。") :
			table(`スキャン記録（全${r.total}件中${r.items.length}件）`, ["日時", "受付", "担当", "結果", "登録番号", "氏名"],
				r.items.map((s) => el("tr", {},
					el("td", {}, dateTime(s.at)), el("td", {}, s.desk || ""), el("td", {}, s.user || ""),
					el("td", {}, label("scan_results", s.result)), el("td", { class: "num" }, s.registration_id ?? ""),
					el("td", {}, s.name || "")))));
	} catch (e) { showErrors(scanForm, e); }
}
scanForm.addEventListener("submit", (ev) => { ev.preventDefault(); clearErrors(scanForm); loadScans(); });
scanForm.elements.result.replaceChildren(el("option", { value: "" }, "すべて"),
	...terms("scan_results").map((t) => el("option", { value: t.code }, termLabel(t))));
const events = await apiAll("/events");
events.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
scanForm.elements.event.replaceChildren(...events.map((e) => el("option", { value: e.id }, `${e.title}（${fyLabel(e.fiscal_year)}）`)));

await Promise.all([loadUsers(), loadAudit(), loadMail(), loadScans()]);
document.body.dataset.ready = "1";
