// The public page cache (platform/page-cache.ts) on the real database: which tables move the public
// data version, and the SvelteKit handle itself, called as SvelteKit calls it, with a `resolve` that
// renders from the database (the count and names of the territories) like a page would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { useTestDatabase } from '../../../../tests/db';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildProject } from '../../../../tests/factories/projects';
import { db } from '../db/client';
import { COVERED_TABLES, UNTRACKED_TABLES } from '../db/migrate';
import { rateLimits } from './schema';
import { clearPageCache, handlePublicCache, pruneChanges } from './page-cache';

const test = useTestDatabase({ jobs: false });

/** Tables whose writes concern no public page, or are noted by another table's trigger (db/migrate.ts). */
const UNTRACKED: readonly string[] = [...UNTRACKED_TABLES, ...COVERED_TABLES];

interface Call {
	path?: string;
	routeId?: string | null;
	method?: string;
	headers?: Record<string, string>;
	session?: string | null;
	locale?: 'fr' | 'en';
	formatLocale?: string;
	params?: Record<string, string>;
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
		params: c.params ?? {},
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
	extra: {
		status?: number;
		headers?: Record<string, string>;
		before?: () => Promise<void>;
		after?: () => Promise<void>;
	} = {}
): Promise<Response> {
	renders++;
	await extra.before?.();
	const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
	// Plain SQL: platform/ knows no domain's tables (eslint/module-boundaries.js).
	const rows = (
		await db().execute<{ name: string }>(sql`SELECT name_fr AS name FROM territories ORDER BY name_fr`)
	).rows;
	const body = `<!doctype html><html lang="${event.locals.locale}"><script nonce="${nonce}">start()</script><ul>${rows
		.map((r) => `<li>${r.name}</li>`)
		.join('')}</ul><p>${rows.length} territories, ${event.url.search}</p>${'<i>padding</i>'.repeat(
		event.url.searchParams.has('big') ? 400 : 0
	)}<style nonce="${nonce}"></style></html>`;
	await extra.after?.();
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

/** The scopes noted since the last call (the change log, read and emptied). */
async function noted(): Promise<string[]> {
	const { rows } = await test.current().query<{ scope: string }>(`DELETE FROM page_changes RETURNING scope`);
	return [...new Set(rows.map((r) => r.scope))].sort();
}

describe('page scopes', () => {
	it('has a trigger on every table but the untracked and covered ones', async () => {
		const { rows } = await test.current().query<{ table: string; tracked: boolean }>(`
			SELECT c.relname AS table,
				EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = c.relname || '_page_scope') AS tracked
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r'
			ORDER BY 1`);
		expect(rows.length).toBeGreaterThan(20);
		const missing = rows.filter((r) => !r.tracked && !UNTRACKED.includes(r.table)).map((r) => r.table);
		expect(missing, 'tables whose writes would not refresh public pages').toEqual([]);
		expect(rows.filter((r) => r.tracked && UNTRACKED.includes(r.table))).toEqual([]);
		for (const name of ['projects', 'needs', 'shifts', 'ledger_groups', 'territories', 'users', 'settings'])
			expect(rows.find((r) => r.table === name)?.tracked, name).toBe(true);
		const old = await test.current()
			.query(`SELECT 1 FROM pg_trigger WHERE tgname LIKE '%_public_version' UNION ALL
				SELECT 1 FROM pg_class WHERE relname = 'public_data_version'`);
		expect(old.rows, 'migration 0009’s sequence and triggers are gone').toEqual([]);
	});

	it('notes a project’s write as its project, every project, and its territory with the ancestors', async () => {
		const region = await buildTerritory({ kind: 'region' });
		const city = await buildTerritory({ parentId: region.id });
		const elsewhere = await buildTerritory();
		const owner = await buildUser();
		await noted();
		expect(await noted()).toEqual([]);

		const project = await buildProject(owner.actor, city.id);
		expect(await noted()).toEqual(
			['project:' + project.id, 'projects', 'territory:' + city.id, 'territory:' + region.id].sort()
		);
		// A child row (a need, a stage) and a grandchild (a shift, through its need).
		await db().execute(sql`UPDATE needs SET title = 'Bêcher' WHERE project_id = ${project.id}`);
		expect(await noted()).toEqual(
			['project:' + project.id, 'projects', 'territory:' + city.id, 'territory:' + region.id].sort()
		);
		// Moving the project: the old territories and the new one.
		await db().execute(sql`UPDATE projects SET territory_id = ${elsewhere.id} WHERE id = ${project.id}`);
		expect(await noted()).toEqual(
			[
				'project:' + project.id,
				'projects',
				'territory:' + city.id,
				'territory:' + region.id,
				'territory:' + elsewhere.id
			].sort()
		);
		// Structure: global.
		await db().execute(sql`UPDATE territories SET name_en = 'Elsewhere' WHERE id = ${elsewhere.id}`);
		expect(await noted()).toEqual(['global']);
	});

	it('notes each scope once a transaction, and nothing for sessions, rate limits or a new account', async () => {
		const user = await buildUser();
		await db().execute(
			sql`INSERT INTO sessions (id, user_id, expires_at) VALUES (${'a'.repeat(64)}, ${user.actor.id}, now() + interval '1 hour')`
		);
		await db().execute(sql`DELETE FROM ${rateLimits}`);
		await db().execute(sql`UPDATE users SET locale = 'en' WHERE id = ${user.actor.id}`);
		expect(await noted()).toEqual([]);
		await db().execute(sql`UPDATE users SET display_name = 'Camille R.' WHERE id = ${user.actor.id}`);
		expect(await noted()).toEqual(['global']);

		const territory = await buildTerritory();
		const project = await buildProject(user.actor, territory.id);
		await noted();
		await db().transaction(async (tx) => {
			for (let i = 0; i < 5; i++)
				await tx.execute(sql`UPDATE needs SET position = ${i} WHERE project_id = ${project.id}`);
			await tx.execute(sql`UPDATE projects SET summary = 'Un jardin.' WHERE id = ${project.id}`);
		});
		const { rows } = await test.current().query<{ n: number }>(`SELECT count(*)::int AS n FROM page_changes`);
		expect(rows[0]!.n).toBe(3);
		// A rolled-back write notes nothing, and does not hide the next one.
		await noted();
		await db()
			.transaction(async (tx) => {
				await tx.execute(sql`UPDATE needs SET position = 9 WHERE project_id = ${project.id}`);
				throw new Error('rollback');
			})
			.catch(() => {});
		expect(await noted()).toEqual([]);
		await db().execute(sql`UPDATE needs SET position = 1 WHERE project_id = ${project.id}`);
		expect(await noted()).toContain('project:' + project.id);
	});
});

describe('page scopes in bulk', () => {
	it('a transaction that touches many things notes global once, then nothing more', async () => {
		await noted();
		const many = Array.from({ length: 300 }, (_, i) => `project:bulk-${i}`);
		await db().transaction(async (tx) => {
			await tx.execute(sql`SELECT note_page_scopes(string_to_array(${many.join(',')}, ','))`);
			await tx.execute(sql`SELECT note_page_scopes(ARRAY['project:one-more'])`);
			await tx.execute(sql`SELECT note_page_scopes(ARRAY['project:and-another'])`);
		});
		const scopes = await noted();
		expect(scopes).toHaveLength(301);
		expect(scopes).toContain('global');
		expect(scopes).not.toContain('project:and-another');
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
		expect(second.body.replaceAll(second.nonce!, '')).toBe(first.body.replaceAll(first.nonce!, ''));
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

describe('narrow invalidation', () => {
	/** A project page, a territory page and the listing, as the routes name them. */
	const projectPage = (slug: string) => ({
		routeId: '/(public)/projects/[slug]',
		path: `/projects/${slug}`,
		params: { slug }
	});
	const territoryPage = (slug: string) => ({
		routeId: '/(public)/territories/[slug]',
		path: `/territories/${slug}`,
		params: { slug }
	});
	const listing = (query = '') => ({ routeId: '/(public)/projects', path: `/projects${query}` });

	it('a write to one project empties its pages, its territories’ and the plain listings, not the others', async () => {
		const region = await buildTerritory({ kind: 'region' });
		const city = await buildTerritory({ parentId: region.id });
		const other = await buildTerritory();
		const owner = await buildUser();
		const a = await buildProject(owner.actor, city.id);
		const b = await buildProject(owner.actor, other.id);
		const pages = {
			a: projectPage(a.slug),
			b: projectPage(b.slug),
			city: territoryPage(city.slug),
			region: territoryPage(region.slug),
			other: territoryPage(other.slug),
			listing: listing(),
			filteredOther: listing(`?territory=${other.slug}`),
			filteredRegion: listing(`?territory=${region.slug}&page=2`),
			legal: { routeId: '/(public)/legal', path: '/legal' }
		};
		for (const page of Object.values(pages)) await get(page);
		for (const page of Object.values(pages)) expect((await get(page)).cache).toBe('HIT');

		await db().execute(sql`UPDATE needs SET title = 'Bêcher' WHERE project_id = ${a.id}`);
		const after: Record<string, string | null> = {};
		for (const [name, page] of Object.entries(pages)) after[name] = (await get(page)).cache;
		expect(after).toEqual({
			a: 'MISS',
			b: 'HIT',
			city: 'MISS',
			region: 'MISS',
			other: 'HIT',
			listing: 'MISS',
			filteredOther: 'HIT',
			filteredRegion: 'MISS',
			legal: 'HIT'
		});

		// A theme, a territory, a setting: every page.
		await db().execute(
			sql`UPDATE themes SET position = position WHERE slug = (SELECT min(slug) FROM themes)`
		);
		for (const page of Object.values(pages)) expect((await get(page)).cache).toBe('MISS');
	});

	it('a listing filtered by an unknown or malformed territory depends on every project', async () => {
		const owner = await buildUser();
		const territory = await buildTerritory();
		const elsewhere = await buildTerritory();
		for (const q of ['?territory=nowhere', '?territory=A%20B', `?territory=x&territory=${territory.slug}`]) {
			await get(listing(q));
			expect((await get(listing(q))).cache, q).toBe('HIT');
		}
		await buildProject(owner.actor, elsewhere.id);
		expect((await get(listing('?territory=nowhere'))).cache).toBe('MISS');
		expect((await get(listing('?territory=A%20B'))).cache).toBe('MISS');
		// The last value is the filter (as the page reads it): that territory, untouched.
		expect((await get(listing(`?territory=x&territory=${territory.slug}`))).cache).toBe('HIT');
	});

	it('never keeps a page whose data changed after its snapshot, even when the write committed during the render', async () => {
		const t = await buildTerritory({ nameFr: 'Ambert' });
		// The render reads the old name, then a write commits before the render ends.
		await get(
			{},
			{
				after: async () => {
					await db().execute(sql`UPDATE territories SET name_fr = 'Ambert (63)' WHERE id = ${t.id}`);
				}
			}
		);
		const next = await get();
		expect(next.cache).toBe('MISS');
		expect(next.body).toContain('<li>Ambert (63)</li>');
		expect((await get()).cache).toBe('HIT');
	});

	it('prunes the change log as a global change', async () => {
		await get();
		await db().execute(sql`SELECT note_page_scopes(ARRAY['project:x'])`);
		expect((await get()).cache).toBe('HIT');
		expect(await pruneChanges(0)).toBe(true);
		const { rows } = await test.current().query<{ scope: string }>(`SELECT scope FROM page_changes`);
		expect(rows.map((r) => r.scope)).toEqual(['global']);
		expect((await get()).cache).toBe('MISS');
		expect((await get()).cache).toBe('HIT');
		expect(await pruneChanges(10)).toBe(false);
	});
});

describe('one render for many', () => {
	it('ten requests missing the same page together render it once, each with its own nonce', async () => {
		await buildTerritory({ nameFr: 'Thiers' });
		const slow = { before: () => new Promise<void>((r) => setTimeout(r, 50)) };
		const results = await Promise.all(
			Array.from({ length: 10 }, () => get({ path: '/territories?x=1' }, slow))
		);
		expect(renders).toBe(1);
		expect(results.filter((r) => r.cache === 'MISS')).toHaveLength(1);
		const nonces = new Set(results.map((r) => r.nonce));
		expect(nonces.size).toBe(10);
		const bodies = new Set(results.map((r) => r.body.replaceAll(r.nonce!, 'N')));
		expect(bodies.size).toBe(1);
		expect([...bodies][0]).toContain('<li>Thiers</li>');

		// After a write, ten again: one render, showing the write.
		await buildTerritory({ nameFr: 'Riom' });
		const again = await Promise.all(
			Array.from({ length: 10 }, () => get({ path: '/territories?x=1' }, slow))
		);
		expect(renders).toBe(2);
		for (const r of again) expect(r.body).toContain('<li>Riom</li>');
	});

	it('a request that arrives after the write waits for the render but is not answered with an older one', async () => {
		const t = await buildTerritory({ nameFr: 'Issoire' });
		let release: () => void = () => {};
		const gate = new Promise<void>((r) => (release = r));
		// The first render reads, then is held; meanwhile the name changes and a second request arrives.
		const first = get({ path: '/territories?y=1' }, { after: () => gate });
		await new Promise((r) => setTimeout(r, 20));
		await db().execute(sql`UPDATE territories SET name_fr = 'Issoire (63)' WHERE id = ${t.id}`);
		const second = get({ path: '/territories?y=1' });
		release();
		const [a, b] = await Promise.all([first, second]);
		expect(a.body).toContain('<li>Issoire</li>');
		expect(b.body).toContain('<li>Issoire (63)</li>');
		expect(renders).toBe(2);
	});
});

describe('compression of stored pages', () => {
	it('sends gzip when accepted, with a fresh nonce, decoding to the same page; raw otherwise', async () => {
		await buildTerritory({ nameFr: 'Vichy' });
		const big = { path: '/territories?big' };
		const raw = await get(big);
		expect(raw.response.headers.get('content-encoding')).toBeNull();
		expect(raw.response.headers.get('vary')).toMatch(/accept-encoding/i);
		for (const encoding of ['gzip', 'br', 'gzip, deflate, br, zstd']) {
			const response = await handlePublicCache({
				event: eventFor({ ...big, headers: { 'accept-encoding': encoding } }),
				resolve: (event: RequestEvent) => renderTerritories(event)
			});
			expect(response.headers.get('x-cache')).toBe('HIT');
			const sent = response.headers.get('content-encoding');
			expect(sent).toBe(encoding === 'br' ? 'br' : 'gzip');
			const bytes = Buffer.from(await response.arrayBuffer());
			expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
			expect(bytes.length).toBeLessThan(Buffer.byteLength(raw.body) / 4);
			const html = (sent === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes)).toString();
			const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')![1]!;
			expect(nonce).not.toBe(raw.nonce);
			expect(html.split(nonce)).toHaveLength(3);
			expect(html.replaceAll(nonce, 'N')).toBe(raw.body.replaceAll(raw.nonce!, 'N'));
		}
		expect(renders).toBe(1);
	});

	it('keeps a small page raw', async () => {
		await get();
		const hit = await get({ headers: { 'accept-encoding': 'gzip' } });
		expect(hit.cache).toBe('HIT');
		expect(hit.response.headers.get('content-encoding')).toBeNull();
	});
});
