// The main account journey, in French and in English, with JavaScript on and off:
// sign-up → verification link from the mail → confirm → sign-in → edit the profile → sign-out.
import { describe, expect, test } from 'vitest';
import {
	GOOD_PASSWORD,
	RESULTS_DIR,
	demo,
	expectAccessible,
	header,
	heading,
	htmlLang,
	mailLink,
	msg,
	pathOf,
	signIn,
	submit,
	uniqueEmail,
	useBrowser,
	visit,
	type Lang
} from '../fixtures';

const runs: { lang: Lang; javaScript: boolean; label: string }[] = [
	{ lang: 'fr', javaScript: true, label: 'French, JavaScript on' },
	{ lang: 'fr', javaScript: false, label: 'French, JavaScript off' },
	{ lang: 'en', javaScript: true, label: 'English, JavaScript on' },
	{ lang: 'en', javaScript: false, label: 'English, JavaScript off' }
];

describe.each(runs)('account journey ($label)', ({ lang, javaScript }) => {
	const browser = useBrowser();
	const m = (key: string, params?: Record<string, string>) => msg(lang, key, params);

	test('sign up, confirm the address, sign in, edit the profile, sign out', async () => {
		const page = await browser.page({ lang, javaScript });
		const email = uniqueEmail(`journey-${lang}-${javaScript ? 'js' : 'nojs'}`);
		const main = page.locator('main');

		// Home page, in the browser's language.
		await visit(page, '/');
		expect(await htmlLang(page)).toBe(lang);
		expect(await header(page).textContent()).toContain(m('nav_signin'));

		// Sign-up, reached from the header.
		await header(page)
			.getByRole('link', { name: m('nav_signup') })
			.click();
		await page.waitForURL('**/signup');
		await page.locator('h1', { hasText: m('accounts_signup_title') }).waitFor();
		await expectAccessible(page);
		expect(await htmlLang(page)).toBe(lang);
		// The preferred language defaults to the interface language.
		expect(await page.getByLabel(m('accounts_field_locale')).inputValue()).toBe(lang);
		await page.getByLabel(m('accounts_field_display_name')).fill('Camille Durand');
		await page.getByLabel(m('accounts_field_email')).fill(email);
		await page.getByLabel(m('accounts_field_password')).fill(GOOD_PASSWORD);
		let response = await submit(page, main.getByRole('button', { name: m('accounts_signup_submit') }));
		expect(response.status()).toBe(303);
		expect(new URL(page.url()).pathname).toBe('/signup/done');
		expect(await heading(page)).toBe(m('accounts_check_email_title'));
		expect(await main.textContent()).toContain(m('accounts_check_email_body', { email }));
		await expectAccessible(page);

		// Signing in before confirming the address is refused, with a message next to the e-mail field.
		await visit(page, '/signin');
		response = await signIn(page, lang, email, GOOD_PASSWORD);
		expect(response.status()).toBe(400);
		expect(await page.locator('#field-email-error').textContent()).toContain(m('accounts_error_unverified'));
		await expectAccessible(page);

		// The verification mail (in the person's language) leads to a confirmation button.
		const link = await mailLink(email, 'verify');
		expect(link.startsWith(`${new URL(page.url()).origin}/verify-email?token=`)).toBe(true);
		await visit(page, pathOf(link));
		expect(await heading(page)).toBe(m('accounts_verify_title'));
		await submit(page, main.getByRole('button', { name: m('accounts_verify_submit') }));
		expect(new URL(page.url()).pathname).toBe('/signin');
		expect(await main.textContent()).toContain(m('accounts_email_verified'));
		await expectAccessible(page);

		// Sign-in leads to the profile page.
		response = await signIn(page, lang, email, GOOD_PASSWORD);
		expect(response.status()).toBe(303);
		expect(new URL(page.url()).pathname).toBe('/me');
		expect(await heading(page)).toBe(m('me_profile_title'));
		expect(await htmlLang(page)).toBe(lang);
		expect(await header(page).textContent()).toContain(m('nav_profile', { name: 'Camille Durand' }));
		expect(await main.textContent()).toContain(m('me_profile_email', { email }));
		await expectAccessible(page);

		// Edit the profile: name, skills, one interest, home territory.
		const skills = lang === 'fr' ? 'jardinage, réparation de vélos' : 'gardening, bike repair';
		await page.getByLabel(m('accounts_field_display_name')).fill('Camille Martin');
		await page.getByLabel(m('accounts_field_skills')).fill(skills);
		await page.getByRole('checkbox', { name: demo[lang].interest, exact: true }).check();
		const territorySelect = page.getByLabel(m('accounts_field_home_territory'));
		const territoryId = await territorySelect
			.locator('option', { hasText: demo[lang].territory })
			.first()
			.getAttribute('value');
		expect(territoryId).toMatch(/^[0-9a-f-]{36}$/);
		await territorySelect.selectOption(territoryId!);
		response = await submit(page, main.getByRole('button', { name: m('form_save') }));
		expect(response.status()).toBe(200);
		expect(await main.locator('[role="status"], .alert').first().textContent()).toContain(
			m('me_profile_saved')
		);
		await expectAccessible(page);

		// Saved: a fresh load shows the new values.
		await visit(page, '/me');
		expect(await page.getByLabel(m('accounts_field_display_name')).inputValue()).toBe('Camille Martin');
		expect(await page.getByLabel(m('accounts_field_skills')).inputValue()).toBe(skills);
		expect(await page.getByRole('checkbox', { name: demo[lang].interest, exact: true }).isChecked()).toBe(
			true
		);
		expect(await territorySelect.inputValue()).toBe(territoryId);
		expect(await header(page).textContent()).toContain(m('nav_profile', { name: 'Camille Martin' }));
		if (lang === 'fr' && javaScript) await page.screenshot({ path: `${RESULTS_DIR}/me.png`, fullPage: true });

		// The other pages of the personal space (in two of the four runs: they have no form used here).
		if ((lang === 'fr') === javaScript)
			for (const [key, path] of [
				['me_nav_security', '/me/security'],
				['me_nav_data', '/me/data'],
				['me_nav_delete', '/me/delete']
			] as const) {
				await page
					.locator('nav.me-nav')
					.getByRole('link', { name: m(key), exact: true })
					.click();
				await page.waitForURL(`**${path}`);
				expect(await heading(page), `the page behind the "${m(key)}" link`).not.toBe(
					m('error_not_found_title')
				);
				await page.locator('nav.me-nav a[aria-current="page"]', { hasText: m(key) }).waitFor();
				await expectAccessible(page);
			}

		// Sign-out from the header.
		await submit(page, header(page).getByRole('button', { name: m('nav_signout') }));
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await header(page).textContent()).toContain(m('nav_signin'));
		expect(await header(page).textContent()).not.toContain('Camille Martin');
		await expectAccessible(page);

		// Signed out for real: the profile page now asks to sign in.
		await visit(page, '/me');
		expect(new URL(page.url()).pathname).toBe('/signin');
		expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/me');
	});
});
