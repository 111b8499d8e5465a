// The language switch in the header (a plain form post) changes the interface language and
// <html lang>, stays on the same page, and is remembered.
import { describe, expect, test } from 'vitest';
import { expectAccessible, header, heading, htmlLang, msg, submit, useBrowser, visit } from '../fixtures';

describe.each([
	{ javaScript: true, label: 'JavaScript on' },
	{ javaScript: false, label: 'JavaScript off' }
])('language switch ($label)', ({ javaScript }) => {
	const browser = useBrowser();

	test('switches French ⇄ English and keeps the page', async () => {
		const page = await browser.page({ lang: 'fr', javaScript });
		await visit(page, '/territories?q=saint');
		expect(await htmlLang(page)).toBe('fr');
		expect(await heading(page)).toBe(msg('fr', 'territories_title'));
		const toEnglish = header(page).getByRole('button', { name: msg('fr', 'lang_switch_to_en') });
		expect(await toEnglish.getAttribute('lang')).toBe('en');

		let response = await submit(page, toEnglish);
		expect(response.status()).toBe(303);
		expect(new URL(page.url()).pathname).toBe('/territories');
		expect(new URL(page.url()).search).toBe('?q=saint');
		expect(await htmlLang(page)).toBe('en');
		expect(await heading(page)).toBe(msg('en', 'territories_title'));
		expect(await header(page).textContent()).toContain(msg('en', 'nav_territories'));
		await expectAccessible(page);

		// Remembered on the next page, although the browser asks for French.
		await visit(page, '/');
		expect(await htmlLang(page)).toBe('en');
		expect(await header(page).textContent()).toContain(msg('en', 'nav_signin'));

		const toFrench = header(page).getByRole('button', { name: msg('en', 'lang_switch_to_fr') });
		expect(await toFrench.getAttribute('lang')).toBe('fr');
		response = await submit(page, toFrench);
		expect(response.status()).toBe(303);
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await htmlLang(page)).toBe('fr');
		expect(await header(page).textContent()).toContain(msg('fr', 'nav_signin'));
		await expectAccessible(page);
	});
});
