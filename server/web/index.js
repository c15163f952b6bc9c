// Sign-in, and for someone signed in the menu of their role.
import { PAGES, ROLE_LABELS, t, el, currentUser, signIn, signOut, showErrors, clearErrors, landing, queryParam } from "/app.js";

const form = document.getElementById("signin");

// Only a path of ours: never send someone on to another site.
function next(user) {
	const n = queryParam("next");
	return n && /^\/[a-z]+\.html(\?[\w=&%-]*)?$/.test(n) ? n : landing(user.role);
}

function showMenu(user) {
	document.getElementById("who").textContent = t("{name}（{role}）としてサインインしています。", { name: user.name, role: t(ROLE_LABELS[user.role] || user.role) });
	document.getElementById("menu").replaceChildren(...PAGES.filter((p) => p.roles.includes(user.role))
		.map((p) => el("li", {}, el("a", { href: p.href }, p.label))));
	document.getElementById("signed-in").hidden = false;
	form.hidden = true;
}

document.getElementById("index-sign-out").addEventListener("click", signOut);

form.addEventListener("submit", async (ev) => {
	ev.preventDefault();
	clearErrors(form);
	const name = form.elements.name.value.trim();
	const password = form.elements.password.value;
	const fields = {};
	if (!name) fields.name = "is required";
	if (!password) fields.password = "is required";
	if (Object.keys(fields).length) { showErrors(form, { fields }); return; }
	try {
		const user = await signIn(name, password);
		location.assign(next(user));
	} catch (e) {
		form.elements.password.value = "";
		if (e.status === 401) e = { message: "ユーザー名またはパスワードが違います。" };
		else if (e.status === 429) e = { message: "サインインの失敗が続いたため、しばらく受け付けません。少し待ってからもう一度お試しください。" };
		showErrors(form, e);
	}
});

const user = await currentUser();
if (user) showMenu(user);
else {
	form.hidden = false;
	if (queryParam("expired")) {
		const note = document.getElementById("signin-note");
		note.textContent = "サインインが切れました。もう一度サインインしてください。";
		note.hidden = false;
	}
	form.elements.name.focus();
}
