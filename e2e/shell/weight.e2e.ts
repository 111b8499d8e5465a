// What the browser gets (issue #10): the public pages ship at most 50 KB of JavaScript (gzip) at
// start-up and 30 KB of serialized data (scripts/weight.ts measures); the pages that are not hydrated
// still get their enhancements: the project page's map loads Leaflet only when it nears the screen,
// and "use my location" fills the "near" field on /projects.
import { describe, expect, test } from 'vitest';
import { measureWeight, WEIGHT_TARGETS } from '../../scripts/weight';
import { BASE_URL, msg, useBrowser, visit } from '../fixtures';

const PROJECT = '/projects/jardin-partage-des-tanneurs';

describe('page weight', () => {
	test('/, /projects and a project page are within the JavaScript and data budgets', async () => {
		const rows = await measureWeight(BASE_URL, ['/', '/projects', PROJECT]);
		for (const row of rows) {
			expect(row.status, row.path).toBe(200);
			expect(row.jsGzip, `${row.path}: ${JSON.stringify(row.jsChunks)}`).toBeLessThanOrEqual(
				WEIGHT_TARGETS.jsGzip
			);
			expect(row.dataInline, row.path).toBeLessThanOrEqual(WEIGHT_TARGETS.data);
			// The CSS is in the page: no render-blocking stylesheet to fetch first.
			expect(row.cssFiles, row.path).toBe(0);
		}
	});
});

describe('enhancements of pages that are not hydrated', () => {
	const browser = useBrowser();

	test('the project map loads Leaflet only when it nears the screen', async () => {
		const page = await browser.page({ lang: 'fr', viewport: { width: 390, height: 800 } });
		const leaflet: string[] = [];
		page.on('request', (r) => {
			if (/leaflet/i.test(r.url())) leaflet.push(r.url());
		});
		await visit(page, PROJECT);
		// The cover is the largest thing on screen: fetched at once, at the width the screen needs.
		const cover = page.locator('img.cover');
		expect(await cover.getAttribute('fetchpriority')).toBe('high');
		expect(await cover.getAttribute('srcset')).toContain('?w=400 400w');
		await page.waitForTimeout(500);
		expect(leaflet).toEqual([]);
		await page.locator('[data-place-map]').scrollIntoViewIfNeeded();
		await page.locator('[data-place-map].leaflet-container').waitFor();
		expect(leaflet.length).toBeGreaterThan(0);
	});

	test('"use my location" fills in the near field on /projects', async () => {
		const page = await browser.page({ lang: 'en' });
		await page.context().grantPermissions(['geolocation']);
		await page.context().setGeolocation({ latitude: 45.4397, longitude: 4.3872 });
		await visit(page, '/projects');
		await page.getByRole('button', { name: msg('en', 'projects_use_my_location') }).click();
		await expect.poll(() => page.inputValue('#f-near')).toBe('45.4397,4.3872');
		expect(await page.locator('button[data-locate-for] + [role="status"]').textContent()).toBe(
			msg('en', 'projects_located')
		);
	});

	test('without JavaScript the button is not offered', async () => {
		const page = await browser.page({ lang: 'en', javaScript: false });
		await visit(page, '/projects');
		expect(await page.getByRole('button', { name: msg('en', 'projects_use_my_location') }).isVisible()).toBe(
			false
		);
	});
});
