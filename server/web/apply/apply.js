// The public forms' niceties; the pages work without this file.
// An error summary takes the focus, so a screen reader reads it first,
// and a form is not sent twice by a double tap.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
	document.documentElement.dataset.js = '1';
	const summary = document.querySelector('.error-summary');
	if (summary) summary.focus();
	for (const form of document.querySelectorAll('form')) {
		form.addEventListener('submit', (ev) => {
			if (form.dataset.sent) {
				ev.preventDefault();
				return;
			}
			form.dataset.sent = '1';
			const button = form.querySelector('button[type=submit]');
			if (button) button.setAttribute('aria-disabled', 'true');
		});
	}
	// Typing in one of 年齢 / 生年月日 says the other is not needed.
	const age = document.getElementById('f-age');
	const birth = document.getElementById('f-birth_date');
	if (age && birth) {
		const sync = () => {
			birth.disabled = age.value.trim() !== '';
			age.disabled = !birth.disabled && birth.value !== '';
		};
		age.addEventListener('input', sync);
		birth.addEventListener('input', sync);
		sync();
	}
});

// The companies' openings: without script a fixed number of rows; with
// it, 「求人を追加」 adds a row (up to data-max), its focus on the new 職種.
document.addEventListener('DOMContentLoaded', () => {
	const box = document.getElementById('f-openings');
	if (!box) return;
	const max = Number(box.dataset.max) || 10;
	const en = document.documentElement.lang === 'en';
	const button = document.createElement('button');
	button.type = 'button';
	button.className = 'button button-secondary';
	button.textContent = en ? 'Add an opening' : '求人を追加';
	const rows = () => box.querySelectorAll('fieldset.opening');
	const update = () => { button.hidden = rows().length >= max; };
	button.addEventListener('click', () => {
		const last = rows()[rows().length - 1];
		const n = rows().length + 1;
		const row = last.cloneNode(true);
		row.dataset.row = String(n);
		row.querySelector('legend').textContent = en ? `Opening ${n}` : `求人${n}`;
		for (const bad of row.querySelectorAll('.field-error')) bad.remove();
		for (const div of row.querySelectorAll('.field-bad')) div.classList.remove('field-bad');
		const rename = (v) => v.replace(/o\d+_/g, `o${n}_`);
		for (const label of row.querySelectorAll('label')) label.htmlFor = rename(label.htmlFor);
		for (const input of row.querySelectorAll('input, select')) {
			input.id = rename(input.id);
			input.name = rename(input.name);
			input.removeAttribute('aria-invalid');
			input.removeAttribute('aria-describedby');
			input.value = '';
		}
		last.after(row);
		row.querySelector('input').focus();
		update();
	});
	box.append(button);
	update();
});
