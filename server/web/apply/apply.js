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
