// Pages anyone can see: accessible (axe, WCAG 2.1 AA) in French and English, with and without
// JavaScript, and usable at 320 CSS pixels wide without horizontal scrolling.
import { describe, expect, test } from 'vitest';
import { RESULTS_DIR, expectAccessible, heading, htmlLang, msg, useBrowser, visit } from '../fixtures';

const PAGES = [
	'/',
	'/territories',
	'/territories/saint-etienne',
	'/accessibility',
	'/legal',
	'/privacy',
	'/signin',
	'/signup',
	'/password/forgot'
];

describe('public pages', () => {
	const browser = useBrowser();

	test.each(PAGES)(
		'%s passes axe in French (JavaScript on) and English (JavaScript off), and fits in 320 px',
		async (path) => {
			const fr = await browser.page({ lang: 'fr', javaScript: true });
			await visit(fr, path);
			expect(await htmlLang(fr)).toBe('fr');
			expect(await heading(fr)).not.toBe('');
			expect(await fr.title()).toMatch(/Parvis/);
			if (path === '/') await fr.screenshot({ path: `${RESULTS_DIR}/home.png`, fullPage: true });

			// At 320 CSS pixels (a small phone, or 1280 px zoomed to 400 %), nothing scrolls sideways.
			await fr.setViewportSize({ width: 320, height: 720 });
			const width = await fr.evaluate(() => document.documentElement.scrollWidth);
			if (path === '/') {
				await fr.screenshot({ path: `${RESULTS_DIR}/home-320.png`, fullPage: true });
				await expectAccessible(fr);
			}
			expect(width, `scrollWidth of ${path} at 320 px`).toBeLessThanOrEqual(320);

			const en = await browser.page({ lang: 'en', javaScript: false });
			await visit(en, path);
			expect(await htmlLang(en)).toBe('en');
			expect(await heading(en)).not.toBe('');
		}
	);

	test('an unknown address answers 404 with an accessible page', async () => {
		const page = await browser.page({ lang: 'fr' });
		await visit(page, '/cette-page-n-existe-pas', 404);
		expect(await heading(page)).toBe(msg('fr', 'error_not_found_title'));
	});
});
