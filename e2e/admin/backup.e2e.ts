// The administrators' backup of a running embedded instance: the page (axe, French with JavaScript, English
// without), the download (a gzipped copy of the database), and refusals for others.
import { describe, expect, test } from 'vitest';
import {
	BASE_URL,
	heading,
	htmlLang,
	msg,
	signIn,
	signInByPost,
	useBrowser,
	visit,
	type Lang
} from '../fixtures';

describe('admin backup', () => {
	const browser = useBrowser();

	test.each([
		{ lang: 'fr' as Lang, javaScript: true },
		{ lang: 'en' as Lang, javaScript: false }
	])('an administrator downloads a copy of the running database ($lang)', async ({ lang, javaScript }) => {
		const page = await browser.page({ lang, javaScript });
		await visit(page, '/signin');
		await signIn(page, lang, 'admin@parvis.test', 'parvis-demo-2026');
		await visit(page, '/admin/backup');
		// Signed in, the interface speaks the account's language.
		const ui = ((await htmlLang(page)) ?? lang) as Lang;
		expect(await heading(page)).toBe(msg(ui, 'admin_backup_title'));
		const link = page.getByRole('link', { name: msg(ui, 'admin_backup_download') });
		expect(await link.getAttribute('href')).toBe('/admin/backup/download');
		const response = await page.request.get(`${BASE_URL}/admin/backup/download`);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-disposition']).toMatch(
			/attachment; filename="parvis-backup-.+\.tar\.gz"/
		);
		const body = await response.body();
		expect([...body.subarray(0, 2)]).toEqual([0x1f, 0x8b]); // gzip
		expect(body.length).toBeGreaterThan(100_000);
	});

	test('refuses visitors and people who are not administrators', async () => {
		const anonymous = await fetch(`${BASE_URL}/admin/backup/download`, { redirect: 'manual' });
		expect(anonymous.status).toBe(303);
		const { cookie } = await signInByPost('contributor@parvis.test', 'parvis-demo-2026');
		const contributor = await fetch(`${BASE_URL}/admin/backup/download`, {
			redirect: 'manual',
			headers: { cookie }
		});
		expect(contributor.status).toBe(403);
	});
});
