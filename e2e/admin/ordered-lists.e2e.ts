// The ordered lists of the admin area (themes here; territories and criteria share the same row actions):
// an administrator moves a row down and back up, archives it and restores it, with plain forms.
// JavaScript off, then on; axe on every page.
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible, msg, signIn, submit, useBrowser, visit, type Lang } from '../fixtures';

/** The French names of the themes, in the table's order. */
const order = (page: Page) => page.locator('tbody tr td:first-child a').allTextContents();

describe.each([
	{ javaScript: false, lang: 'fr' as Lang },
	{ javaScript: true, lang: 'en' as Lang }
])('admin ordered lists (JavaScript $javaScript)', ({ javaScript, lang }) => {
	const browser = useBrowser();

	test('move a theme down and up, archive and restore it', async () => {
		const page = await browser.page({ lang, javaScript });
		await visit(page, '/signin');
		await signIn(page, lang, 'admin@parvis.test', 'parvis-demo-2026');
		await visit(page, '/admin/themes');
		const ui = ((await page.locator('html').getAttribute('lang')) ?? lang) as Lang;
		const before = await order(page);
		expect(before.length).toBeGreaterThan(2);
		const row = (name: string) => page.locator('tbody tr', { hasText: name });
		// The row's label in the interface language names it for screen readers.
		const action = async (name: string, key: string) => {
			const label = (await row(name)
				.locator('td')
				.nth(ui === 'en' ? 1 : 0)
				.textContent())!.trim();
			return row(name).getByRole('button', { name: `${msg(ui, key)} — ${label}` });
		};

		const first = before[0];
		const response = await submit(page, await action(first, 'admin_move_down'));
		expect(response.status()).toBeLessThan(400);
		expect((await order(page)).slice(0, 2)).toEqual([before[1], first]);
		await expectAccessible(page);
		await submit(page, await action(first, 'admin_move_up'));
		expect(await order(page)).toEqual(before);

		await submit(page, await action(first, 'admin_archive'));
		expect(await row(first).textContent()).toContain(msg(ui, 'admin_state_archived'));
		await expectAccessible(page);
		await submit(page, await action(first, 'admin_restore'));
		expect(await row(first).textContent()).toContain(msg(ui, 'admin_state_active'));
		expect(await order(page)).toEqual(before);
	});
});
