// Forgotten password: /password/forgot → link in the mail → new password → sign-in with it.
import { describe, expect, test } from 'vitest';
import {
	GOOD_PASSWORD,
	expectAccessible,
	heading,
	mailLink,
	msg,
	pathOf,
	signIn,
	signUpThroughUi,
	submit,
	useBrowser,
	visit,
	type Lang
} from '../fixtures';

const NEW_PASSWORD = 'Trois tomates au marché du jeudi';

const runs: { lang: Lang; javaScript: boolean; label: string }[] = [
	{ lang: 'fr', javaScript: false, label: 'French, JavaScript off' },
	{ lang: 'en', javaScript: true, label: 'English, JavaScript on' }
];

describe.each(runs)('password reset ($label)', ({ lang, javaScript }) => {
	const browser = useBrowser();
	const m = (key: string, params?: Record<string, string>) => msg(lang, key, params);

	test('a reset link from the mail sets a new password', async () => {
		const page = await browser.page({ lang, javaScript });
		const main = page.locator('main');
		const email = await signUpThroughUi(page, { lang, label: `reset-${lang}` });

		// From the sign-in page to the request form.
		await visit(page, '/signin');
		await main.getByRole('link', { name: m('accounts_forgot_link') }).click();
		await page.waitForURL('**/password/forgot');
		await page.locator('h1', { hasText: m('accounts_forgot_title') }).waitFor();
		await expectAccessible(page);
		await page.getByLabel(m('accounts_field_email')).fill(email);
		let response = await submit(page, main.getByRole('button', { name: m('accounts_forgot_submit') }));
		expect(response.status()).toBe(200);
		expect(await main.textContent()).toContain(m('accounts_forgot_sent', { email }));
		await expectAccessible(page);

		// The link in the mail opens the new-password form.
		const link = await mailLink(email, 'reset');
		await visit(page, pathOf(link));
		expect(await heading(page)).toBe(m('accounts_reset_title'));
		const password = page.getByLabel(m('accounts_field_new_password'));
		const save = main.getByRole('button', { name: m('accounts_reset_submit') });

		// Too short: the error is next to the field and the link still works afterwards.
		await password.fill('court');
		response = await submit(page, save);
		expect(response.status()).toBe(400);
		expect(await page.locator('#field-password-error').textContent()).toContain(
			m('accounts_error_password_short')
		);
		expect(await page.locator('#field-password').getAttribute('aria-invalid')).toBe('true');
		await expectAccessible(page);

		await password.fill(NEW_PASSWORD);
		response = await submit(page, save);
		expect(response.status()).toBe(303);
		expect(new URL(page.url()).pathname).toBe('/signin');
		expect(await main.textContent()).toContain(m('accounts_password_reset_done'));
		await expectAccessible(page);

		// The old password no longer works; the new one does.
		response = await signIn(page, lang, email, GOOD_PASSWORD);
		expect(response.status()).toBe(400);
		expect(await page.locator('#field-password-error').textContent()).toContain(
			m('accounts_error_credentials')
		);
		await expectAccessible(page);
		response = await signIn(page, lang, email, NEW_PASSWORD);
		expect(response.status()).toBe(303);
		expect(new URL(page.url()).pathname).toBe('/me');
		await expectAccessible(page);

		// The link works once.
		await visit(page, pathOf(link));
		await password.fill('Encore un autre mot de passe 7');
		response = await submit(page, save);
		expect(response.status()).toBe(400);
		expect(await main.textContent()).toContain(m('accounts_error_token_invalid'));
		await expectAccessible(page);
	});
});
