// Security headers, and state-changing requests from another site refused.
import { describe, expect, test } from 'vitest';
import { BASE_URL, signInByPost } from '../fixtures';

function directives(csp: string): Map<string, string[]> {
	return new Map(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name.toLowerCase(), values])
	);
}

describe('security headers', () => {
	test('a page has a nonce-based CSP and the usual protective headers', async () => {
		// A hydrated page: SvelteKit's start script is inline (the home page is not hydrated, see below).
		const response = await fetch(`${BASE_URL}/territories`);
		expect(response.status).toBe(200);
		const csp = response.headers.get('content-security-policy');
		expect(csp, 'Content-Security-Policy header').toBeTruthy();
		const d = directives(csp!);
		const scriptSrc = d.get('script-src') ?? d.get('default-src') ?? [];
		expect(
			scriptSrc.some((v) => /^'nonce-[A-Za-z0-9+/=_-]+'$/.test(v)),
			`script-src: ${scriptSrc}`
		).toBe(true);
		expect(scriptSrc).not.toContain("'unsafe-inline'");
		expect(scriptSrc).not.toContain("'unsafe-eval'");
		expect(d.get('frame-ancestors')).toEqual(["'none'"]);
		expect(d.get('object-src')).toEqual(["'none'"]);

		// The inline scripts of the page carry the nonce of this response.
		const html = await response.text();
		const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))!.slice(7, -1);
		const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
		expect(scripts.length).toBeGreaterThan(0);
		for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
		// A new nonce for every response.
		const again = (await fetch(`${BASE_URL}/territories`)).headers.get('content-security-policy');
		expect(again).not.toBe(csp);

		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBeTruthy();
		expect(response.headers.get('referrer-policy')).not.toMatch(/unsafe-url|no-referrer-when-downgrade/);
		expect(response.headers.get('x-frame-options')).toBe('DENY');
	});

	test('a page that is not hydrated has no inline script, and its CSP allows none', async () => {
		for (const path of ['/', '/projects', '/projects/jardin-partage-des-tanneurs']) {
			const response = await fetch(BASE_URL + path);
			expect(response.status, path).toBe(200);
			const d = directives(response.headers.get('content-security-policy') ?? '');
			const scriptSrc = d.get('script-src') ?? d.get('default-src') ?? [];
			expect(scriptSrc).toContain("'self'");
			expect(scriptSrc).not.toContain("'unsafe-inline'");
			const html = await response.text();
			// Only module files of the site itself (the page's enhancements), never inline code.
			for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
				expect(m[1], path).toMatch(/\bsrc="\/_app\/immutable\//);
				expect(m[2].trim(), path).toBe('');
			}
		}
	});
	test('the session cookie is HttpOnly and SameSite, and signed-in pages are not cached', async () => {
		const { setCookie, cookie } = await signInByPost('contributor@parvis.test', 'parvis-demo-2026');
		expect(setCookie).toMatch(/;\s*HttpOnly/i);
		expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
		const me = await fetch(`${BASE_URL}/me`, {
			headers: { cookie },
			redirect: 'manual'
		});
		expect(me.status).toBe(200);
		expect(me.headers.get('cache-control')).toMatch(/no-store/);
		expect(me.headers.get('content-security-policy')).toBeTruthy();
	});
});

describe('cross-site requests', () => {
	const form = (fields: Record<string, string>) => ({
		'content-type': 'application/x-www-form-urlencoded',
		accept: 'text/html',
		body: new URLSearchParams(fields).toString()
	});

	async function post(
		path: string,
		origin: string | null,
		fields: Record<string, string>
	): Promise<Response> {
		const { body, ...headers } = form(fields);
		return fetch(`${BASE_URL}${path}`, {
			method: 'POST',
			redirect: 'manual',
			headers: origin ? { ...headers, origin } : headers,
			body
		});
	}

	test('a POST to /signin from another origin is refused with 403', async () => {
		const response = await post('/signin', 'http://evil.example', {
			email: 'admin@parvis.test',
			password: 'parvis-demo-2026'
		});
		expect(response.status).toBe(403);
		expect(response.headers.get('set-cookie') ?? '').not.toContain('session');
	});

	test('a POST to /locale from another origin is refused with 403', async () => {
		const response = await post('/locale', 'http://evil.example', { locale: 'en', returnTo: '/' });
		expect(response.status).toBe(403);
		expect(response.headers.get('set-cookie')).toBeNull();
	});

	test('the same POST from the site itself is accepted (control)', async () => {
		const response = await post('/locale', BASE_URL, { locale: 'en', returnTo: '/territories' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/territories');
		expect(response.headers.get('set-cookie')).toMatch(/PARAGLIDE_LOCALE=en/);
	});

	test('/locale never redirects to another site', async () => {
		for (const returnTo of ['//evil.example/', 'https://evil.example/']) {
			const response = await post('/locale', BASE_URL, { locale: 'en', returnTo });
			expect(response.status).toBe(303);
			expect(response.headers.get('location'), `returnTo=${returnTo}`).toBe('/');
		}
	});

	// Browsers read "/\\" as "//": a return path starting with it would lead to another site.
	test('/locale never redirects to /\\evil.example (another site for browsers)', async () => {
		const response = await post('/locale', BASE_URL, { locale: 'en', returnTo: '/\\evil.example/' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
	});
});
