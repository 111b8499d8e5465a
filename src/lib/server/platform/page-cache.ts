import { randomBytes } from 'node:crypto';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { LRUCache } from 'lru-cache';
import { sql } from 'drizzle-orm';
import { database } from '../db/client';
import {
	accepted,
	asBody,
	compress,
	deflateParts,
	gzipWithNonce,
	MIN_COMPRESS_BYTES,
	varyOnEncoding
} from './compress';

/**
 * The public page cache: what an anonymous visitor gets from a public page or the public API depends on
 * the URL, the language and the public data only, so the rendered response is kept and served again
 * while the data it shows has not changed.
 *
 * - **Always current, narrowly.** Every write notes the *scopes* it concerns in `page_changes` (row
 *   triggers, migration 0011): `project:<id>`, `territory:<id>` (with its ancestors), `projects` (any
 *   project), `global` (territories, themes, settings, a public name, any other table). A page depends on
 *   `global` and on its own scopes (`scopesOf`): a project page on its project, a territory page and a
 *   listing filtered by territory on that territory, the other listings on `projects`, the static pages on
 *   `global` alone. Before rendering, the page's snapshot (`pg_current_snapshot()`) is read; a stored page
 *   is served while no transaction that snapshot did not see has noted one of its scopes (one indexed
 *   query a request, the cost of `/healthz`'s). The rows are transactional: a write that commits after
 *   the snapshot, even one whose statement ran before, is always caught. Several app instances share the
 *   database, hence the changes: none serves a stale page.
 * - **One render for many.** Requests that miss the same key together wait for one render
 *   (single-flight): a waiter that arrived before that render's snapshot was taken is served its result
 *   at once, a later one after checking it is still current (the same query as a hit).
 * - **Bounded in time.** An entry is also dropped after `PARVIS_PAGE_CACHE_TTL` seconds (default 30;
 *   0 turns the cache off): pages show what time alone changes (a campaign whose deadline has just
 *   passed, a publication date reached).
 * - **Never personal.** Only GET requests without a session cookie, on the routes listed below, with a
 *   200 answer that sets no cookie. A signed-in person always gets a fresh render.
 * - **CSP nonces stay single-use.** A page carries the nonce of its Content-Security-Policy; a stored
 *   page is served with a fresh random nonce put in place of the old one, in the header and the body.
 *   It is kept cut at its nonce and gzipped once, part by part (platform/compress.ts), so that a HIT
 *   sends gzip with the new nonce without compressing anything.
 * - **Bounded in memory.** An LRU of at most `PARVIS_PAGE_CACHE_MB` (default 32) MB counted in bytes
 *   (raw and gzip forms); a response over 4 MB is not kept. `page_changes` is emptied every few minutes
 *   once it has grown (`pruneChanges`; that counts as a global change).
 *
 * - **Fresh on request.** A request with `Cache-Control: no-cache` (a browser's hard reload; the bench's
 *   "rendered" rows) is rendered, and its response stored.
 *
 * Responses carry `X-Cache: HIT` or `MISS` (cacheable routes only).
 */

/** Route ids whose anonymous answer depends only on the URL, the language and public data. */
const PUBLIC_ROUTES = new Set([
	'/(public)',
	'/(public)/projects',
	'/(public)/projects/[slug]',
	'/(public)/projects/[slug]/money',
	'/(public)/territories',
	'/(public)/territories/[slug]',
	'/(public)/accessibility',
	'/(public)/legal',
	'/(public)/privacy',
	'/api/v1/projects',
	'/api/v1/projects/[slug]',
	'/api/v1/projects.geojson',
	'/api/v1/territories',
	'/api/v1/themes',
	'/api/v1/openapi.json'
]);

/** What each route's page shows, beyond `global`: its project, its territory, or any project. */
const PROJECT_ROUTES = new Set([
	'/(public)/projects/[slug]',
	'/(public)/projects/[slug]/money',
	'/api/v1/projects/[slug]'
]);
const LISTING_ROUTES = new Set(['/(public)/projects', '/api/v1/projects', '/api/v1/projects.geojson']);
const STATIC_ROUTES = new Set([
	'/(public)/territories',
	'/(public)/accessibility',
	'/(public)/legal',
	'/(public)/privacy',
	'/api/v1/territories',
	'/api/v1/themes',
	'/api/v1/openapi.json'
]);
/** A listing's `territory` filter applies to the territory and its descendants (projects/queries.ts). */
const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;

const DEFAULT_MB = 32;
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
const DEFAULT_TTL_S = 30;
const CACHEABLE_TYPE = /^(text\/html|application\/json|application\/geo\+json)\b/i;
const NONCE = /'nonce-([^']+)'/;
/** `page_changes` is emptied when it holds more rows than this, checked every PRUNE_EVERY_MS. */
const PRUNE_ROWS = 50_000;
const PRUNE_EVERY_MS = 5 * 60_000;

interface Entry {
	/** The scopes the page depends on, and the snapshot taken before it was rendered. */
	scopes: string[];
	snapshot: string;
	status: number;
	headers: [string, string][];
	/** The body cut at each occurrence of the render's nonce (one part without a nonce). */
	parts: Buffer[];
	/** The same parts deflated (compress.ts `deflateParts`), when the body is worth compressing. */
	deflated: Buffer[] | null;
	/** The CSP nonce the page was rendered with, replaced on every replay. */
	nonce: string | null;
	bytes: number;
}

let cache: LRUCache<string, Entry> | null = null;
let cacheConfig = '';

/** The cache's TTL in seconds from `PARVIS_PAGE_CACHE_TTL` (0: off). */
function ttlSeconds(): number {
	const raw = process.env.PARVIS_PAGE_CACHE_TTL;
	if (raw === undefined || raw === '') return DEFAULT_TTL_S;
	const n = Number(raw);
	return Number.isFinite(n) && n >= 0 ? n : DEFAULT_TTL_S;
}

function maxBytes(): number {
	const n = Number(process.env.PARVIS_PAGE_CACHE_MB || DEFAULT_MB);
	return (Number.isFinite(n) && n > 0 ? n : DEFAULT_MB) * 1024 * 1024;
}

function store(): LRUCache<string, Entry> | null {
	const ttl = ttlSeconds();
	if (ttl === 0) return null;
	const max = maxBytes();
	if (!cache || cacheConfig !== `${ttl}|${max}`) {
		cache = new LRUCache<string, Entry>({
			maxSize: max,
			sizeCalculation: (e) => e.bytes,
			ttl: ttl * 1000
		});
		cacheConfig = `${ttl}|${max}`;
	}
	return cache;
}

/** Empties the cache (tests). */
export function clearPageCache(): void {
	cache?.clear();
	inflight.clear();
}

/** Whether this request may be answered from, and stored in, the cache. */
function cacheable(event: RequestEvent): boolean {
	return (
		event.request.method === 'GET' &&
		event.route.id !== null &&
		PUBLIC_ROUTES.has(event.route.id) &&
		!event.locals.sessionToken
	);
}

/**
 * The key: the whole URL (origin included) and the languages of the text and of the formats; the API
 * picks its language from Accept-Language itself (and `?lang=`), so its key holds that header as sent.
 */
function keyOf(event: RequestEvent): string {
	const api = event.route.id?.startsWith('/api/') ? (event.request.headers.get('accept-language') ?? '') : '';
	// A page and its `__data.json` (a client-side navigation) share event.url: the JSON is another entry.
	const data = event.isDataRequest ? 'data' : '';
	return `${event.locals.locale}|${event.locals.formatLocale}|${api}|${data}|${event.url.href}`;
}

/** The slug of the project or territory a request's page depends on, to resolve to an id. */
function subjectOf(event: RequestEvent): { project: string | null; territory: string | null } {
	const id = event.route.id ?? '';
	const slug = event.params?.slug ?? null;
	if (PROJECT_ROUTES.has(id)) return { project: slug, territory: null };
	if (id === '/(public)/territories/[slug]') return { project: null, territory: slug };
	if (LISTING_ROUTES.has(id)) {
		// The filter parser keeps the last value of a repeated parameter (Object.fromEntries).
		const values = event.url.searchParams.getAll('territory');
		const last = values[values.length - 1];
		return { project: null, territory: last !== undefined && SLUG.test(last) ? last : null };
	}
	return { project: null, territory: null };
}

/** The scopes a page depends on, from the ids its slugs resolved to. */
function scopesOf(event: RequestEvent, ids: { project: string | null; territory: string | null }): string[] {
	const id = event.route.id ?? '';
	if (STATIC_ROUTES.has(id)) return ['global'];
	if (ids.project) return ['global', `project:${ids.project}`];
	if (ids.territory) return ['global', `territory:${ids.territory}`];
	return ['global', 'projects'];
}

/**
 * The snapshot to render under and the page's scopes, in one query. Plain SQL on the projects' and
 * territories' slugs: platform/ imports no domain (eslint/module-boundaries.js).
 */
async function prepare(event: RequestEvent): Promise<{ snapshot: string; scopes: string[] }> {
	const subject = subjectOf(event);
	const { rows } = await database().query<{
		snapshot: string;
		project: string | null;
		territory: string | null;
	}>(
		`SELECT pg_current_snapshot()::text AS snapshot,
			(SELECT id::text FROM projects WHERE slug = $1::text) AS project,
			(SELECT id::text FROM territories WHERE slug = $2::text) AS territory`,
		[subject.project, subject.territory]
	);
	const row = rows[0]!;
	return { snapshot: row.snapshot, scopes: scopesOf(event, row) };
}

/** True when no transaction unseen by the entry's snapshot has noted one of its scopes. */
async function current(entry: Entry): Promise<boolean> {
	const { rows } = await database().query<{ stale: boolean }>(
		`SELECT EXISTS (
			SELECT 1 FROM page_changes
			WHERE scope = ANY($1::text[]) AND xid >= pg_snapshot_xmin($2::pg_snapshot)
				AND NOT pg_visible_in_snapshot(xid, $2::pg_snapshot)) AS stale`,
		[entry.scopes, entry.snapshot]
	);
	return rows[0]?.stale === false;
}

/** A stored response, with a fresh nonce in place of the one it was rendered with, gzipped when accepted. */
function replay(entry: Entry, request: Request, state: 'HIT' | 'MISS', keepNonce = false): Response {
	const fresh = entry.nonce && !keepNonce ? randomBytes(18).toString('base64') : entry.nonce;
	const nonce = fresh ? Buffer.from(fresh) : null;
	const headers = new Headers();
	for (const [name, value] of entry.headers)
		headers.append(
			name,
			name === 'content-security-policy' && entry.nonce && fresh
				? value.replaceAll(entry.nonce, fresh)
				: value
		);
	headers.set('x-cache', state);
	let body: Buffer;
	if (entry.deflated) {
		varyOnEncoding(headers);
		const can = accepted(request);
		if (can.gzip) {
			body = gzipWithNonce(entry.parts, entry.deflated, nonce);
			headers.set('content-encoding', 'gzip');
		} else {
			body = joinParts(entry.parts, nonce);
			if (can.br) {
				body = compress(body, 'br');
				headers.set('content-encoding', 'br');
			}
		}
	} else body = joinParts(entry.parts, nonce);
	headers.set('content-length', String(body.byteLength));
	return new Response(asBody(body), { status: entry.status, headers });
}

function joinParts(parts: Buffer[], nonce: Buffer | null): Buffer {
	if (parts.length === 1) return parts[0]!;
	const chunks: Buffer[] = [];
	parts.forEach((p, i) => {
		if (i > 0 && nonce) chunks.push(nonce);
		chunks.push(p);
	});
	return Buffer.concat(chunks);
}

/** Cuts a body at each occurrence of its nonce. */
function cut(body: Buffer, nonce: string | null): Buffer[] {
	if (!nonce) return [body];
	const needle = Buffer.from(nonce);
	const parts: Buffer[] = [];
	let from = 0;
	for (let at = body.indexOf(needle, from); at !== -1; at = body.indexOf(needle, from)) {
		parts.push(body.subarray(from, at));
		from = at + needle.length;
	}
	parts.push(body.subarray(from));
	return parts;
}

/** The entry for a rendered response when it is a plain public answer, else null. */
async function entryOf(
	response: Response,
	prepared: { snapshot: string; scopes: string[] }
): Promise<Entry | null> {
	const type = response.headers.get('content-type') ?? '';
	if (
		response.status !== 200 ||
		response.headers.has('set-cookie') ||
		response.headers.has('content-encoding') ||
		!CACHEABLE_TYPE.test(type)
	)
		return null;
	const body = Buffer.from(await response.arrayBuffer());
	const headers: [string, string][] = [];
	for (const [name, value] of response.headers) {
		// The ETag SvelteKit computes covers the body with its nonce: no longer true once replayed.
		if (name !== 'content-length' && name !== 'etag' && name !== 'x-cache') headers.push([name, value]);
	}
	const nonce = NONCE.exec(response.headers.get('content-security-policy') ?? '')?.[1] ?? null;
	const parts = cut(body, nonce);
	const deflated = body.byteLength >= MIN_COMPRESS_BYTES ? deflateParts(parts) : null;
	const bytes =
		body.byteLength + (deflated?.reduce((n, d) => n + d.byteLength, 0) ?? 0) + 1024 + parts.length * 64;
	return { ...prepared, status: response.status, headers, parts, deflated, nonce, bytes };
}

/** Renders in flight, by key: requests that miss together wait for the one render. */
interface Flight {
	/** `performance.now()` just before the render's snapshot was asked for. */
	snapshotAt: number;
	done: Promise<Entry | null>;
}
const inflight = new Map<string, Flight>();

let pruneTimer: ReturnType<typeof setInterval> | null = null;

/**
 * Empties `page_changes` once it holds more than PRUNE_ROWS rows, noting `global` in the same
 * transaction: a page rendered before that commit sees the new row and is rendered again, a page
 * rendered after it saw every change that was deleted. Safe with several app instances.
 */
export async function pruneChanges(threshold = PRUNE_ROWS): Promise<boolean> {
	const d = database();
	const { rows } = await d.query<{ n: number }>(
		`SELECT count(*)::int AS n FROM (SELECT 1 FROM page_changes LIMIT ${threshold + 1}) x`
	);
	if ((rows[0]?.n ?? 0) <= threshold) return false;
	await d.db.transaction(async (tx) => {
		await tx.execute(sql`DELETE FROM page_changes`);
		await tx.execute(sql`SELECT note_page_scopes(ARRAY['global'])`);
	});
	return true;
}

function schedulePrune(): void {
	if (pruneTimer) return;
	pruneTimer = setInterval(() => {
		pruneChanges().catch((e) => console.error('[page-cache] prune', (e as Error).message));
	}, PRUNE_EVERY_MS);
	pruneTimer.unref();
}

/** Stops the pruning timer (shutdown). */
export function stopPageCache(): void {
	if (pruneTimer) clearInterval(pruneTimer);
	pruneTimer = null;
}

/** The SvelteKit handle: after the session is known, before the page renders. */
export const handlePublicCache: Handle = async ({ event, resolve }) => {
	const entries = store();
	if (!entries || !cacheable(event)) return resolve(event);
	schedulePrune();
	const key = keyOf(event);
	const arrived = performance.now();
	// `Cache-Control: no-cache` from the client (a hard reload) asks for a fresh render (RFC 9111 5.2.1.4).
	const revalidate = /\bno-cache\b/i.test(event.request.headers.get('cache-control') ?? '');
	if (!revalidate) {
		const hit = entries.get(key);
		if (hit && (await current(hit))) return replay(hit, event.request, 'HIT');
		const flight = inflight.get(key);
		if (flight) {
			const led = await flight.done;
			// A render whose snapshot was taken after this request arrived saw every write before it.
			if (led && (flight.snapshotAt >= arrived || (await current(led))))
				return replay(led, event.request, 'HIT');
		}
	}
	let settle: (e: Entry | null) => void = () => {};
	const flight: Flight = {
		snapshotAt: performance.now(),
		done: new Promise<Entry | null>((r) => (settle = r))
	};
	const lead = !inflight.has(key);
	if (lead) inflight.set(key, flight);
	try {
		const prepared = await prepare(event);
		const response = await resolve(event);
		const entry = await entryOf(response, prepared);
		if (!entry) {
			settle(null);
			return response;
		}
		if (entry.bytes <= MAX_ENTRY_BYTES) entries.set(key, entry);
		settle(entry);
		return replay(entry, event.request, 'MISS', true);
	} finally {
		settle(null);
		if (lead && inflight.get(key) === flight) inflight.delete(key);
	}
};
