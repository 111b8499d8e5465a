import { randomBytes } from 'node:crypto';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { LRUCache } from 'lru-cache';
import { database } from '../db/client';

/**
 * The public page cache: what an anonymous visitor gets from a public page or the public API depends on
 * the URL, the language and the public data only, so the rendered response is kept and served again
 * while the data has not changed.
 *
 * - **Always current.** Every write to a table that can reach a public page moves the sequence
 *   `public_data_version` (statement triggers, migration 0009). Each request reads it (one tiny query,
 *   the cost of `/healthz`'s) and a stored response is served only when it was rendered at that
 *   version; the version is read *before* rendering, so a change committed during a render is never
 *   hidden. Several app instances share the database, hence the version: none serves a stale page.
 * - **Bounded in time.** An entry is also dropped after `PARVIS_PAGE_CACHE_TTL` seconds (default 30;
 *   0 turns the cache off): pages show what time alone changes (a campaign whose deadline has just
 *   passed, a publication date reached, a change whose statement ran before the version was read but
 *   committed after the render's snapshot).
 * - **Never personal.** Only GET requests without a session cookie, on the routes listed below, with a
 *   200 answer that sets no cookie. A signed-in person always gets a fresh render.
 * - **CSP nonces stay single-use.** A page carries the nonce of its Content-Security-Policy; a stored
 *   page is served with a fresh random nonce put in place of the old one, in the header and the body.
 * - **Bounded in memory.** An LRU of at most 64 MB; a response over 4 MB is not kept.
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

const MAX_BYTES = 64 * 1024 * 1024;
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
const DEFAULT_TTL_S = 30;
const CACHEABLE_TYPE = /^(text\/html|application\/json|application\/geo\+json)\b/i;
const NONCE = /'nonce-([^']+)'/;

interface Entry {
	version: string;
	status: number;
	headers: [string, string][];
	body: string;
	/** The CSP nonce the page was rendered with, replaced on every replay. */
	nonce: string | null;
}

let cache: LRUCache<string, Entry> | null = null;
let cacheTtlS = -1;

/** The cache's TTL in seconds from `PARVIS_PAGE_CACHE_TTL` (0: off). */
function ttlSeconds(): number {
	const raw = process.env.PARVIS_PAGE_CACHE_TTL;
	if (raw === undefined || raw === '') return DEFAULT_TTL_S;
	const n = Number(raw);
	return Number.isFinite(n) && n >= 0 ? n : DEFAULT_TTL_S;
}

function store(): LRUCache<string, Entry> | null {
	const ttl = ttlSeconds();
	if (ttl === 0) return null;
	if (!cache || cacheTtlS !== ttl) {
		cache = new LRUCache<string, Entry>({
			maxSize: MAX_BYTES,
			// UTF-16 in memory, plus the headers.
			sizeCalculation: (e) => e.body.length * 2 + 1024,
			ttl: ttl * 1000
		});
		cacheTtlS = ttl;
	}
	return cache;
}

/** Empties the cache (tests). */
export function clearPageCache(): void {
	cache?.clear();
}

/** The current version of the public data: moves on every write that can reach a public page. */
export async function publicDataVersion(): Promise<string> {
	const { rows } = await database().query<{ last_value: string | number; is_called: boolean }>(
		'SELECT last_value, is_called FROM public_data_version'
	);
	const row = rows[0];
	return row ? `${row.last_value}${row.is_called ? '' : '-'}` : '';
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

/** A stored response, with a fresh nonce in place of the one it was rendered with. */
function replay(entry: Entry): Response {
	const fresh = entry.nonce ? randomBytes(18).toString('base64') : null;
	const swap = (s: string) => (entry.nonce && fresh ? s.replaceAll(entry.nonce, fresh) : s);
	const headers = new Headers();
	for (const [name, value] of entry.headers)
		headers.append(name, name === 'content-security-policy' ? swap(value) : value);
	headers.set('x-cache', 'HIT');
	return new Response(swap(entry.body), { status: entry.status, headers });
}

/** Keeps a rendered response when it is a plain public answer; returns the response to send. */
async function keep(key: string, version: string, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (response.status !== 200 || response.headers.has('set-cookie') || !CACHEABLE_TYPE.test(type)) {
		return response;
	}
	const body = await response.text();
	const headers: [string, string][] = [];
	for (const [name, value] of response.headers) {
		// The ETag SvelteKit computes covers the body with its nonce: no longer true once replayed.
		if (name !== 'content-length' && name !== 'etag' && name !== 'x-cache') headers.push([name, value]);
	}
	const csp = response.headers.get('content-security-policy') ?? '';
	if (Buffer.byteLength(body) <= MAX_ENTRY_BYTES) {
		store()?.set(key, {
			version,
			status: response.status,
			headers,
			body,
			nonce: NONCE.exec(csp)?.[1] ?? null
		});
	}
	const sent = new Headers(headers);
	sent.set('x-cache', 'MISS');
	return new Response(body, { status: response.status, headers: sent });
}

/** The SvelteKit handle: after the session is known, before the page renders. */
export const handlePublicCache: Handle = async ({ event, resolve }) => {
	const entries = store();
	if (!entries || !cacheable(event)) return resolve(event);
	const key = keyOf(event);
	const version = await publicDataVersion();
	// `Cache-Control: no-cache` from the client (a hard reload) asks for a fresh render (RFC 9111 5.2.1.4).
	const revalidate = /\bno-cache\b/i.test(event.request.headers.get('cache-control') ?? '');
	const hit = revalidate ? undefined : entries.get(key);
	if (hit && hit.version === version) return replay(hit);
	return keep(key, version, await resolve(event));
};
