// The public page cache (platform/page-cache.ts) on the real database: which tables move the public
// data version, and the SvelteKit handle itself, called as SvelteKit calls it, with a `resolve` that
// renders from the database (the count and names of the territories) like a page would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { useTestDatabase } from '../../../../tests/db';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildUser } from '../../../../tests/factories/accounts';
import { db } from '../db/client';
import { UNTRACKED_TABLES } from '../db/migrate';
import { rateLimits } from './schema';
import { clearPageCache, handlePublicCache, publicDataVersion } from './page-cache';

const test = useTestDatabase({ jobs: false });

/** Tables that never reach a public page and are written on many requests (db/migrate.ts). */
const UNTRACKED: readonly string[] = UNTRACKED_TABLES;

interface Call {
	path?: string;
	routeId?: string | null;
	method?: string;
	headers?: Record<string, string>;
	session?: string | null;
	locale?: 'fr' | 'en';
	formatLocale?: string;
	/** A client-side navigation's `__data.json` (SvelteKit gives it the page's URL). */
	data?: boolean;
}

let renders = 0;

function eventFor(c: Call = {}): RequestEvent {
	const url = new URL(c.path ?? '/territories', 'http://parvis.test');
	return {
		request: new Request(url, { method: c.method ?? 'GET', headers: c.headers }),
		url,
		isDataRequest: c.data ?? false,
		route: { id: c.routeId === undefined ? '/(public)/territories' : c.routeId },
		locals: {
			sessionToken: c.session ?? null,
			locale: c.locale ?? 'fr',
			formatLocale: c.formatLocale ?? 'fr-FR'
		}
	} as unknown as RequestEvent;
}

/** A page as SvelteKit renders it: a fresh nonce in the CSP header and on the inline script. */
async function renderTerritories(
	event: RequestEvent,
	extra: { status?: number; headers?: Record<string, string> } = {}
): Promise<Response> {
	renders++;
	const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
	// Plain SQL: platform/ knows no domain's tables (eslint/module-boundaries.js).
	const rows = (
		await db().execute<{ name: string }>(sql`SELECT name_fr AS name FROM territories ORDER BY name_fr`)
	).rows;
	const body = `<!doctype html><html lang="${event.locals.locale}"><script nonce="${nonce}">start()</script><ul>${rows
		.map((r) => `<li>${r.name}</li>`)
		.join('')}</ul><p>${rows.length} territories, ${event.url.search}</p></html>`;
	return new Response(body, {
		status: extra.status ?? 200,
		headers: {
			'content-type': 'text/html',
			'content-security-policy': `script-src 'self' 'nonce-${nonce}'; object-src 'none'`,
			...extra.headers
		}
	});
}

async function get(c: Call = {}, extra: Parameters<typeof renderTerritories>[1] = {}) {
	const response = await handlePublicCache({
		event: eventFor(c),
		resolve: (event: RequestEvent, _opts?: ResolveOptions) => renderTerritories(event, extra)
	});
	const body = await response.text();
	const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
	return { response, body, nonce, cache: response.headers.get('x-cache') };
}

beforeEach(() => {
	clearPageCache();
	renders = 0;
	delete process.env.PARVIS_PAGE_CACHE_TTL;
});
afterEach(() => {
	delete process.env.PARVIS_PAGE_CACHE_TTL;
});

describe('public data version', () => {
	it('has its trigger on every table but the untracked ones', async () => {
		const { rows } = await test.current().query<{ table: string; tracked: boolean }>(`
			SELECT c.relname AS table,
				EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = c.relname || '_public_version') AS tracked
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r'
			ORDER BY 1`);
		expect(rows.length).toBeGreaterThan(20);
		const missing = rows.filter((r) => !r.tracked && !UNTRACKED.includes(r.table)).map((r) => r.table);
		expect(missing, 'tables whose writes would not refresh public pages').toEqual([]);
		expect(rows.filter((r) => r.tracked && UNTRACKED.includes(r.table))).toEqual([]);
		for (const name of ['projects', 'needs', 'shifts', 'ledger_entries', 'territories', 'users'])
			expect(rows.find((r) => r.table === name)?.tracked, name).toBe(true);
	});

	it('moves on writes to public data, in or out of a transaction, and not on sessions or rate limits', async () => {
		const v0 = await publicDataVersion();
		const territory = await buildTerritory({ nameFr: 'Roanne' });
		const v1 = await publicDataVersion();
		expect(v1).not.toBe(v0);

		const user = await buildUser();
		const v2 = await publicDataVersion();
		expect(v2).not.toBe(v1);
		await db().execute(
			sql`INSERT INTO sessions (id, user_id, expires_at) VALUES (${'a'.repeat(64)}, ${user.actor.id}, now() + interval '1 hour')`
		);
		await db().execute(sql`DELETE FROM ${rateLimits}`);
		expect(await publicDataVersion()).toBe(v2);

		await db().transaction(async (tx) => {
			await tx.execute(sql`UPDATE territories SET name_fr = 'Roanne (Loire)' WHERE id = ${territory.id}`);
		});
		expect(await publicDataVersion()).not.toBe(v2);
	});
});

describe('the public page cache', () => {
	it('serves a stored page with a fresh nonce, in the header and the body', async () => {
		await buildTerritory({ nameFr: 'Annonay' });
		const first = await get();
		expect(first.cache).toBe('MISS');
		expect(first.body).toContain(`nonce="${first.nonce}"`);

		const second = await get();
		expect(second.cache).toBe('HIT');
		expect(renders).toBe(1);
		expect(second.response.status).toBe(200);
		expect(second.response.headers.get('content-type')).toBe('text/html');
		expect(second.nonce).toBeTruthy();
		expect(second.nonce).not.toBe(first.nonce);
		expect(second.body).toContain(`nonce="${second.nonce}"`);
		expect(second.body).not.toContain(first.nonce!);
		expect(second.body.replace(second.nonce!, '')).toBe(first.body.replace(first.nonce!, ''));
	});

	it('renders again as soon as public data changes', async () => {
		await get();
		expect((await get()).cache).toBe('HIT');
		await buildTerritory({ nameFr: 'Zonza' });
		const after = await get();
		expect(after.cache).toBe('MISS');
		expect(after.body).toContain('<li>Zonza</li>');
		expect((await get()).body).toContain('<li>Zonza</li>');
		expect(renders).toBe(2);
	});

	it('renders again for a client asking no-cache, and keeps that render', async () => {
		await get();
		const fresh = await get({ headers: { 'cache-control': 'no-cache' } });
		expect(fresh.cache).toBe('MISS');
		expect((await get()).cache).toBe('HIT');
		expect(renders).toBe(2);
	});

	it('keeps one entry per URL, language and format locale', async () => {
		await get({ path: '/territories?q=a' });
		expect((await get({ path: '/territories?q=b' })).cache).toBe('MISS');
		expect((await get({ path: '/territories?q=a', locale: 'en' })).cache).toBe('MISS');
		expect((await get({ path: '/territories?q=a', formatLocale: 'fr-CA' })).cache).toBe('MISS');
		// The API reads Accept-Language itself.
		const api = { routeId: '/api/v1/territories', path: '/api/v1/territories' };
		await get({ ...api, headers: { 'accept-language': 'en' } });
		expect((await get({ ...api, headers: { 'accept-language': 'fr' } })).cache).toBe('MISS');
		expect((await get({ ...api, headers: { 'accept-language': 'en' } })).cache).toBe('HIT');
		const again = await get({ path: '/territories?q=b' });
		expect(again.cache).toBe('HIT');
		expect(again.body).toContain('?q=b');
		expect(renders).toBe(6);
	});

	it('keeps a page and its __data.json apart (same URL for SvelteKit)', async () => {
		await get({ path: '/territories?q=c', data: true });
		const page = await get({ path: '/territories?q=c' });
		expect(page.cache).toBe('MISS');
		expect((await get({ path: '/territories?q=c', data: true })).cache).toBe('HIT');
		expect((await get({ path: '/territories?q=c' })).cache).toBe('HIT');
		expect(renders).toBe(2);
	});

	it('never serves nor keeps a signed-in person’s page, a POST, another route, an error or a cookie', async () => {
		await get({ session: 'token' });
		const signedIn = await get({ session: 'token' });
		expect(signedIn.cache).toBeNull();
		expect((await get()).cache).toBe('MISS');
		expect((await get({ session: 'token' })).cache).toBeNull();

		expect((await get({ method: 'POST' })).cache).toBeNull();
		expect((await get({ routeId: '/(app)/me/contributions', path: '/me/contributions' })).cache).toBeNull();
		expect((await get({ routeId: null, path: '/nowhere' })).cache).toBeNull();

		await get({ path: '/territories?broken' }, { status: 500 });
		const after500 = await get({ path: '/territories?broken' });
		expect(after500.cache).toBe('MISS');

		await get({ path: '/territories?cookie' }, { headers: { 'set-cookie': 'a=b' } });
		expect((await get({ path: '/territories?cookie' })).cache).toBe('MISS');
		expect(renders).toBe(11);
	});

	it('is off with PARVIS_PAGE_CACHE_TTL=0 and drops entries after the TTL', async () => {
		process.env.PARVIS_PAGE_CACHE_TTL = '0';
		await get();
		expect((await get()).cache).toBeNull();
		expect(renders).toBe(2);

		process.env.PARVIS_PAGE_CACHE_TTL = '1';
		await get();
		expect((await get()).cache).toBe('HIT');
		await new Promise((r) => setTimeout(r, 1100));
		expect((await get()).cache).toBe('MISS');
	});
});
