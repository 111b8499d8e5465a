// Shared helpers of the end-to-end suite (run by scripts/e2e.js, which starts the app and sets E2E_BASE_URL).
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

const base = process.env.E2E_BASE_URL;
if (!base) throw new Error('E2E_BASE_URL is not set: run the end-to-end suite with `npm run test:e2e`.');
/** Where the app under test answers, e.g. http://localhost:41234 (no trailing slash). */
export const BASE_URL = base.replace(/\/$/, '');

export const RESULTS_DIR = 'test-results';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A password the app accepts (long, not common, not personal). */
export const GOOD_PASSWORD = 'Un vélo-cargo sous la pluie 42';

export type Lang = 'fr' | 'en';
export interface PageOptions {
	/** Browser language: fr-FR or en-US. */
	lang?: Lang;
	javaScript?: boolean;
	viewport?: { width: number; height: number };
}

/**
 * Launches Chromium once for the calling test file and gives each test its own context
 * (cookies, language, JavaScript on or off), closed after the test. A failing test leaves
 * a screenshot of each of its pages in test-results/failures/.
 */
export function useBrowser(): { page: (options?: PageOptions) => Promise<Page> } {
	let browser: Browser | undefined;
	let contexts: BrowserContext[] = [];
	let pageErrors: string[] = [];

	beforeAll(async () => {
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		});
	});
	afterEach(async ({ task }) => {
		if (task.result?.state === 'fail') await screenshotFailure(task.fullName, contexts);
		await Promise.all(contexts.map((c) => c.close().catch(() => {})));
		contexts = [];
		// An uncaught error in the browser (a failed hydration, for instance) fails the test.
		const errors = pageErrors;
		pageErrors = [];
		expect(errors, 'uncaught errors in the browser').toEqual([]);
	});
	afterAll(async () => {
		await browser?.close();
	});

	return {
		page: async ({ lang = 'fr', javaScript = true, viewport } = {}) => {
			if (!browser) throw new Error('useBrowser(): the browser is not launched (call page() inside a test)');
			const context = await browser.newContext({
				javaScriptEnabled: javaScript,
				locale: lang === 'fr' ? 'fr-FR' : 'en-US',
				viewport: viewport ?? { width: 1280, height: 900 }
			});
			// Generous: a busy two-core machine runs the app, Chromium and the tests at once.
			context.setDefaultTimeout(30_000);
			context.setDefaultNavigationTimeout(45_000);
			contexts.push(context);
			const page = await context.newPage();
			if (!javaScript) withoutJavaScript.add(page);
			page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.stack ?? e.message}`));
			return page;
		}
	};
}

/** Pages opened with JavaScript off (axe needs JavaScript: see expectAccessible). */
const withoutJavaScript = new WeakSet<Page>();

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe with the WCAG 2.0/2.1 A and AA rules. Legacy mode runs axe in the page itself instead of finishing
 * in an extra blank page: twice as fast, and enough for pages without cross-origin frames (Parvis has none).
 */
function axe(page: Page) {
	return new AxeBuilder({ page })
		.setLegacyMode(true)
		.options({ resultTypes: ['violations'] })
		.withTags(AXE_TAGS)
		.analyze();
}

/**
 * axe runs inside the page, so it hangs where JavaScript is off. There, the page's current DOM is
 * served again, without its scripts, at the same address to a JavaScript-enabled page (stylesheets and
 * images still come from the app), and axe checks that copy: what someone without JavaScript sees.
 */
/** One JavaScript-enabled page per browser shows the copies (its cache keeps stylesheets between checks). */
const snapshotPages = new WeakMap<Browser, { page: Page; html: string; url: string }>();

async function analyzeSnapshot(page: Page) {
	const browser = page.context().browser();
	if (!browser) throw new Error('expectAccessible: no browser for this page');
	let viewer = snapshotPages.get(browser);
	if (!viewer) {
		const context = await browser.newContext({ javaScriptEnabled: true });
		const state = { page: await context.newPage(), html: '', url: '' };
		await state.page.route(
			(u) => u.href === state.url,
			(route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: state.html })
		);
		snapshotPages.set(browser, state);
		viewer = state;
	}
	viewer.url = page.url();
	viewer.html = (await page.content())
		.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
		.replace(/<(\/?)noscript\b/gi, '<$1div');
	const size = page.viewportSize();
	if (size) await viewer.page.setViewportSize(size);
	// about:blank first, so that the same address twice in a row is loaded again.
	await viewer.page.goto('about:blank');
	await viewer.page.goto(viewer.url);
	return axe(viewer.page);
}

/**
 * Pages already checked in this file, by content: the same markup at the same size gives the same
 * result (e.g. the sign-in form coming back ten times with the same error), so axe runs once.
 */
const checked = new Set<string>();

async function fingerprint(page: Page): Promise<string> {
	const html = (await page.content())
		.replace(/\snonce="[^"]*"/g, '')
		.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
	const size = page.viewportSize();
	return createHash('sha256')
		.update(`${page.url()}|${size?.width}x${size?.height}|${withoutJavaScript.has(page)}|${html}`)
		.digest('hex');
}

/** Saves a screenshot of every open page of a failed test in test-results/failures/. */
async function screenshotFailure(name: string, contexts: BrowserContext[]): Promise<void> {
	const dir = join(RESULTS_DIR, 'failures');
	mkdirSync(dir, { recursive: true });
	const pages = contexts.flatMap((c) => c.pages());
	for (const [i, page] of pages.entries()) {
		const file = join(dir, `${name.replace(/[^\w-]+/g, '_').slice(0, 80)}-${Date.now()}-${i}.png`);
		await page.screenshot({ path: file, fullPage: true }).catch(() => {});
		console.error(`Screenshot of the failing test's page ${page.url()}: ${file}`);
	}
}

/** Runs axe (WCAG 2.0/2.1 A and AA) on the page and fails with a readable list of violations. */
export async function expectAccessible(page: Page): Promise<void> {
	const key = await fingerprint(page);
	if (checked.has(key)) return;
	const results = withoutJavaScript.has(page) ? await analyzeSnapshot(page) : await axe(page);
	if (results.violations.length === 0) {
		checked.add(key);
		return;
	}
	const report = results.violations
		.map((v) => {
			const nodes = v.nodes
				.slice(0, 5)
				.map((n) => `    - ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`)
				.join('\n');
			const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : '';
			return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
		})
		.join('\n');
	expect.fail(`${results.violations.length} accessibility violation(s) on ${page.url()}:\n${report}`);
}

/** Opens a path of the app, checks the HTTP status (200 by default) and accessibility. */
export async function visit(page: Page, path: string, status = 200): Promise<Response | null> {
	const response = await page.goto(`${BASE_URL}${path}`);
	expect(response?.status(), `HTTP status of ${path}`).toBe(status);
	// With JavaScript, let the app finish loading its modules (hydration) before the test acts.
	if (!withoutJavaScript.has(page)) await page.waitForLoadState('networkidle').catch(() => {});
	await expectAccessible(page);
	return response;
}

/**
 * Clicks a submit button and waits for the page it leads to. Returns the answer to the POST itself: 400
 * when the form comes back with errors, 303 when it redirects (the page is then the redirect's target).
 * Works with JavaScript on and off; forms of Parvis are plain HTML forms.
 */
export async function submit(page: Page, button: ReturnType<Page['locator']>): Promise<Response> {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
		// The next `load` is that of the answer (or of the page a redirect leads to).
		page.waitForEvent('load'),
		button.click()
	]);
	return response;
}

/** The `lang` attribute of <html>. */
export function htmlLang(page: Page): Promise<string | null> {
	return page.locator('html').getAttribute('lang');
}

/** The visible text of the first <h1>. */
export async function heading(page: Page): Promise<string> {
	return ((await page.locator('h1').first().textContent()) ?? '').trim();
}

/** A fresh e-mail address nobody has used on the test server. */
export function uniqueEmail(label: string): string {
	return `e2e-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@example.org`;
}

/** The mails the app under test has written to its outbox (`<data dir>/outbox`, set up by scripts/e2e.js), newest first. */
function outbox(): { to: string; text: string }[] {
	const dir = process.env.E2E_DATA_DIR;
	if (!dir) throw new Error('E2E_DATA_DIR is not set: run the end-to-end suite with `npm run test:e2e`.');
	let names: string[];
	try {
		names = readdirSync(join(dir, 'outbox')).filter((f) => f.endsWith('.json'));
	} catch {
		return [];
	}
	return names
		.sort()
		.reverse()
		.flatMap((f) => {
			try {
				return [JSON.parse(readFileSync(join(dir, 'outbox', f), 'utf8')) as { to: string; text: string }];
			} catch {
				return []; // being written
			}
		});
}

/**
 * The newest link to `/verify-email` or `/password/reset` sent to `email`, read from the outbox files in the
 * data directory of the app under test (mails are sent by the job worker, so this waits for them; the
 * /dev/mail page is for administrators only). `notIn` skips links already seen (to wait for a second mail
 * of the same kind).
 */
export async function mailLink(
	email: string,
	kind: 'verify' | 'reset',
	{ timeoutMs = 30_000, notIn = [] as string[] } = {}
): Promise<string> {
	const path = kind === 'verify' ? '/verify-email?token=' : '/password/reset?token=';
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		for (const mail of outbox()) {
			if (mail.to !== email) continue;
			const link = (mail.text.match(/https?:\/\/\S+/g) ?? []).find((l) => l.includes(path));
			if (link && !notIn.includes(link)) return link;
		}
		if (Date.now() > deadline)
			throw new Error(`No ${kind} mail for ${email} in the outbox after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 300));
	}
}

/** Turns an absolute link from a mail into a path of the app under test (the mail uses ORIGIN). */
export function pathOf(link: string): string {
	const url = new URL(link);
	return url.pathname + url.search;
}

const catalogues = {
	fr: JSON.parse(readFileSync(new URL('../messages/fr.json', import.meta.url), 'utf8')) as Record<
		string,
		string
	>,
	en: JSON.parse(readFileSync(new URL('../messages/en.json', import.meta.url), 'utf8')) as Record<
		string,
		string
	>
};

/** A message of the app's catalogue (messages/<lang>.json) with its {parameters} filled in. */
export function msg(lang: Lang, key: string, params: Record<string, string> = {}): string {
	const text = catalogues[lang][key];
	if (text === undefined) throw new Error(`No message "${key}" in messages/${lang}.json`);
	return text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}

/** Test data that depends on the language (demo content). */
export const demo = {
	fr: { interest: 'Alimentation', territory: 'Saint-Étienne' },
	en: { interest: 'Food', territory: 'Saint-Étienne' }
} as const;

/** The header of every page. */
export const header = (page: Page) => page.locator('header.site-header');

/**
 * Creates an account through the sign-up form (the page must be on any page of the site in `lang`) and,
 * unless `verify` is false, confirms it with the link from the mail. Returns the e-mail address.
 */
export async function signUpThroughUi(
	page: Page,
	{
		lang = 'fr',
		label = 'account',
		displayName = 'Camille E2E',
		password = GOOD_PASSWORD,
		verify = true
	}: { lang?: Lang; label?: string; displayName?: string; password?: string; verify?: boolean } = {}
): Promise<string> {
	const email = uniqueEmail(label);
	await visit(page, '/signup');
	await page.getByLabel(msg(lang, 'accounts_field_display_name')).fill(displayName);
	await page.getByLabel(msg(lang, 'accounts_field_email')).fill(email);
	await page.getByLabel(msg(lang, 'accounts_field_password')).fill(password);
	const response = await submit(
		page,
		page.getByRole('button', { name: msg(lang, 'accounts_signup_submit') })
	);
	expect(response.status()).toBe(303);
	expect(new URL(page.url()).pathname).toBe('/signup/done');
	expect(await heading(page)).toBe(msg(lang, 'accounts_check_email_title'));
	expect(await page.locator('main').textContent()).toContain(email);
	await expectAccessible(page);
	if (verify) {
		const link = await mailLink(email, 'verify');
		await visit(page, pathOf(link));
		expect(await heading(page)).toBe(msg(lang, 'accounts_verify_title'));
		await submit(page, page.getByRole('button', { name: msg(lang, 'accounts_verify_submit') }));
		expect(new URL(page.url()).pathname).toBe('/signin');
		expect(await page.locator('main').textContent()).toContain(msg(lang, 'accounts_email_verified'));
		await expectAccessible(page);
	}
	return email;
}

/** Fills and sends the sign-in form (the page must be on /signin); returns the response. */
export async function signIn(page: Page, lang: Lang, email: string, password: string): Promise<Response> {
	await page.getByLabel(msg(lang, 'accounts_field_email')).fill(email);
	await page.getByLabel(msg(lang, 'accounts_field_password')).fill(password);
	return submit(
		page,
		page.locator('main').getByRole('button', { name: msg(lang, 'accounts_signin_submit') })
	);
}

/**
 * A browser's form post to the site (origin header, and text/html: SvelteKit answers JSON to a catch-all accept),
 * without following redirects; `cookie` signs it in.
 */
export function postForm(
	path: string,
	fields: Record<string, string>,
	cookie?: string
): Promise<globalThis.Response> {
	return fetch(`${BASE_URL}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: BASE_URL,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(fields).toString()
	});
}

/**
 * Signs in with a plain form post (no browser); returns the session's Set-Cookie line as sent and the
 * `name=value` pair to send back.
 */
export async function signInByPost(
	email: string,
	password: string
): Promise<{ setCookie: string; cookie: string }> {
	const response = await postForm('/signin', { email, password });
	expect(response.status).toBe(303);
	const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('parvis_session='));
	expect(setCookie, 'session cookie').toBeTruthy();
	return { setCookie: setCookie!, cookie: setCookie!.split(';')[0] };
}
