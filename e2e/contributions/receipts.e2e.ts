// A donor gets a tax receipt from their list of contributions: the demo contributor's gift to the
// bicycle workshop (whose association issues receipts) offers one; the form keeps what was typed on an
// error; the receipt is then listed beside the gift and downloads as a PDF. JavaScript off, then on.
import { describe, expect, test } from 'vitest';
import { expectAccessible, msg, signIn, submit, useBrowser, visit } from '../fixtures';

const GIFT_NEED = 'Pied d’atelier et clés';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('tax receipts from /me/contributions', () => {
	const browser = useBrowser();

	test('ask for the receipt of a gift, with an error on the way, and download it (JavaScript off)', async () => {
		const page = await browser.page({ lang: 'fr', javaScript: false });
		await visit(page, '/signin');
		await signIn(page, 'fr', 'contributor@parvis.test', 'parvis-demo-2026');
		// The demo contributor reads Parvis in English (their profile's language).
		await visit(page, '/me/contributions');
		const lang = ((await page.locator('html').getAttribute('lang')) ?? 'fr') as 'fr' | 'en';
		const row = page.locator('tr', { hasText: GIFT_NEED });
		await row
			.getByRole('link', {
				name: new RegExp(`^${escape(msg(lang, 'me_contributions_receipt_ask'))}`)
			})
			.click();
		await page.waitForURL(/\/me\/receipts\?gift=/);
		await expectAccessible(page);
		const form = page.locator('details[open] form');
		await expect.poll(() => form.count()).toBe(1);

		// The address is missing: the form comes back open, with the message and the name kept.
		await form.getByLabel(msg(lang, 'receipts_field_name')).fill('Sam Carter');
		let response = await submit(page, form.getByRole('button', { name: msg(lang, 'receipts_ask_button') }));
		expect(response.status()).toBe(400);
		const again = page.locator('details[open] form');
		expect(await again.getByLabel(msg(lang, 'receipts_field_name')).inputValue()).toBe('Sam Carter');
		expect(await again.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
		await expectAccessible(page);

		await again.getByLabel(msg(lang, 'receipts_field_address')).fill('5 rue Michelet, 42000 Saint-Étienne');
		response = await submit(page, again.getByRole('button', { name: msg(lang, 'receipts_ask_button') }));
		expect(response.status()).toBe(200);
		expect(await page.locator('main').textContent()).toContain(msg(lang, 'receipts_issued'));

		await visit(page, '/me/contributions');
		const download = page.locator('tr', { hasText: GIFT_NEED }).getByRole('link', { name: /\(PDF\)/ });
		expect(await download.count()).toBe(1);
		const href = (await download.getAttribute('href'))!;
		expect(href).toMatch(/^\/me\/receipts\/[0-9a-f-]{36}\.pdf$/);
		const pdf = await page.request.get(new URL(href, page.url()).href);
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
	});

	test('the receipt stays listed beside its gift (JavaScript on)', async () => {
		const page = await browser.page({ lang: 'en', javaScript: true });
		await visit(page, '/signin');
		await signIn(page, 'en', 'contributor@parvis.test', 'parvis-demo-2026');
		await visit(page, '/me/contributions');
		const row = page.locator('tr', { hasText: GIFT_NEED });
		expect(await row.getByRole('link', { name: /\(PDF\)/ }).count()).toBe(1);
		await expectAccessible(page);
	});
});
