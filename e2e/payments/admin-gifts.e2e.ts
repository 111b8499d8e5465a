// The administrator's gifts page: a partial refund of a demo gift (test method: recorded at once), and a
// refund larger than what is left, refused next to its field with what was typed kept. JavaScript off,
// then on; axe on every page.
import { describe, expect, test } from 'vitest';
import { expectAccessible, msg, signIn, submit, useBrowser, visit, type Lang } from '../fixtures';

describe.each([
	{ javaScript: false, lang: 'fr' as Lang },
	{ javaScript: true, lang: 'en' as Lang }
])('admin gifts (JavaScript $javaScript)', ({ javaScript, lang }) => {
	const browser = useBrowser();

	test('refund part of a gift, and be told when a refund exceeds what is left', async () => {
		const page = await browser.page({ lang, javaScript });
		await visit(page, '/signin');
		await signIn(page, lang, 'admin@parvis.test', 'parvis-demo-2026');
		await visit(page, '/admin/gifts');
		const ui = ((await page.locator('html').getAttribute('lang')) ?? lang) as Lang;
		const form = page.locator('form[action="?/refund"]').first();
		const id = await form.locator('input[name="contributionId"]').getAttribute('value');
		const row = page.locator('tbody tr', { has: page.locator(`input[value="${id}"]`) });

		await row.locator('input[name="amountMinor"]').fill('1');
		expect(
			(await submit(page, row.getByRole('button', { name: msg(ui, 'admin_gifts_refund_button') }))).status()
		).toBe(200);
		const told = await page.getByRole('status').allTextContents();
		expect(told.map((t) => t.trim())).toContain(msg(ui, 'admin_gifts_refunded'));
		const refunded = page.locator('tbody tr', { has: page.locator(`input[value="${id}"]`) });
		expect(await refunded.locator('.muted').allTextContents()).toHaveLength(2); // the e-mail, and what was refunded
		await expectAccessible(page);

		await refunded.locator('input[name="amountMinor"]').fill('99999');
		const refused = await submit(
			page,
			refunded.getByRole('button', { name: msg(ui, 'admin_gifts_refund_button') })
		);
		expect(refused.status()).toBe(400);
		const field = page.locator(`#refund-${id}`);
		expect(await field.inputValue()).toBe('99999');
		expect(await page.locator(`#refund-${id}-error`).textContent()).toContain(
			msg(ui, 'payments_error_refund_too_much')
		);
		await expectAccessible(page);
	});
});
