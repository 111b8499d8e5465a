// A form sent with mistakes comes back with each message next to its field (tied to it with
// aria-describedby, the field marked aria-invalid) and with what the person typed, except passwords.
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible, msg, submit, uniqueEmail, useBrowser, visit, type Lang } from '../fixtures';

/** Checks that `name`'s field is invalid and described by an error next to it that contains `text`. */
async function expectFieldError(page: Page, name: string, text: string): Promise<void> {
	const input = page.locator(`form [name="${name}"]`);
	expect(await input.getAttribute('aria-invalid'), `aria-invalid of ${name}`).toBe('true');
	const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
	const described: string[] = [];
	for (const id of ids) {
		const element = page.locator(`[id="${id}"]`);
		expect(await element.count(), `element #${id} named by aria-describedby of ${name}`).toBe(1);
		described.push((await element.textContent()) ?? '');
	}
	expect(described.join(' '), `description of ${name}`).toContain(text);
	// Next to the field: in the same field block as the input.
	expect(await page.locator(`.field:has([name="${name}"]) .error`).textContent()).toContain(text);
}

async function expectFieldValid(page: Page, name: string): Promise<void> {
	expect(
		await page.locator(`form [name="${name}"]`).getAttribute('aria-invalid'),
		`aria-invalid of ${name}`
	).toBeNull();
}

const runs: { lang: Lang; javaScript: boolean; label: string }[] = [
	{ lang: 'fr', javaScript: true, label: 'French, JavaScript on' },
	{ lang: 'fr', javaScript: false, label: 'French, JavaScript off' },
	{ lang: 'en', javaScript: true, label: 'English, JavaScript on' },
	{ lang: 'en', javaScript: false, label: 'English, JavaScript off' }
];

describe.each(runs)('form errors ($label)', ({ lang, javaScript }) => {
	const browser = useBrowser();
	const m = (key: string, params?: Record<string, string>) => msg(lang, key, params);

	test('sign-up with mistakes shows each error next to its field and keeps what was typed', async () => {
		const page = await browser.page({ lang, javaScript });
		const form = page.locator('main form');
		const send = () => submit(page, form.getByRole('button', { name: m('accounts_signup_submit') }));
		await visit(page, '/signup');

		// Everything empty: three required fields.
		let response = await send();
		expect(response.status()).toBe(400);
		expect(new URL(page.url()).pathname).toBe('/signup');
		await expectFieldError(page, 'displayName', m('form_error_required'));
		await expectFieldError(page, 'email', m('form_error_required'));
		await expectFieldError(page, 'password', m('accounts_error_password_short'));
		await expectAccessible(page);

		// A common password: only the password is wrong; the name and address stay as typed.
		const email = uniqueEmail('form-errors');
		await page.getByLabel(m('accounts_field_display_name')).fill('Zoé Lefèvre');
		await page.getByLabel(m('accounts_field_email')).fill(email);
		await page.getByLabel(m('accounts_field_password')).fill('password123');
		response = await send();
		expect(response.status()).toBe(400);
		expect(new URL(page.url()).pathname).toBe('/signup');
		expect(await page.locator('html').getAttribute('lang')).toBe(lang);
		await expectFieldError(page, 'password', m('accounts_error_password_common'));
		await expectFieldValid(page, 'displayName');
		await expectFieldValid(page, 'email');
		expect(await page.getByLabel(m('accounts_field_display_name')).inputValue()).toBe('Zoé Lefèvre');
		expect(await page.getByLabel(m('accounts_field_email')).inputValue()).toBe(email);
		// A password is never sent back to the browser.
		expect(await page.getByLabel(m('accounts_field_password')).inputValue()).toBe('');
		expect(await page.content()).not.toContain('password123');

		// The summary at the top names the error and links to the field.
		const summary = page.locator('.error-summary[role="alert"]');
		expect(await summary.locator('h2').textContent()).toBe(m('form_error_summary'));
		const link = summary.locator('a[href="#field-password"]');
		expect(await link.textContent()).toContain(m('accounts_error_password_common'));
		if (javaScript) {
			// With JavaScript, focus moves to the summary so that screen readers announce it.
			await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
		}
		await expectAccessible(page);
	});

	test('sign-in with a wrong password keeps the address and says what is wrong', async () => {
		const page = await browser.page({ lang, javaScript });
		await visit(page, '/signin');
		// Typed with capitals: it comes back exactly as typed.
		const email = uniqueEmail('Nobody');
		await page.getByLabel(m('accounts_field_email')).fill(email);
		await page.getByLabel(m('accounts_field_password')).fill('not the right one');
		const response = await submit(
			page,
			page.locator('main form').getByRole('button', { name: m('accounts_signin_submit') })
		);
		expect(response.status()).toBe(400);
		await expectFieldError(page, 'password', m('accounts_error_credentials'));
		expect(await page.getByLabel(m('accounts_field_email')).inputValue()).toBe(email);
		expect(await page.getByLabel(m('accounts_field_password')).inputValue()).toBe('');
		await expectAccessible(page);
	});
});
