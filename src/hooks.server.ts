import { randomUUID } from 'node:crypto';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { boot, shutdown } from '$lib/server/app';
import { validateSession, SESSION_COOKIE } from '$lib/server/accounts';
import { t } from '$lib/i18n';
import { handlePublicCache } from '$lib/server/platform/page-cache';
import { compressResponse } from '$lib/server/platform/compress';
import { describeError } from '$lib/server/platform/errors';

export const init: ServerInit = async () => {
	await boot();
	process.once('sveltekit:shutdown', () => {
		void shutdown();
	});
};

const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		event.locals.locale = locale;
		const accept = request.headers.get('accept-language') ?? '';
		const canadian = /\b(fr|en)-CA\b/i.test(accept.split(',')[0] ?? '');
		event.locals.formatLocale =
			locale === 'fr' ? (canadian ? 'fr-CA' : 'fr-FR') : canadian ? 'en-CA' : 'en-GB';
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale) });
	});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function escapeHtml(s: string): string {
	return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** A plain answer for an address no route can take (the API answers in its own JSON shape). */
function refuse(event: Parameters<Handle>[0]['event'], status: 400 | 404): Response {
	const message = status === 404 ? t('error_not_found') : t('error_bad_request');
	if (event.url.pathname.startsWith('/api/'))
		return new Response(
			JSON.stringify({
				error: { code: status === 404 ? 'not_found' : 'invalid_parameter', message }
			}),
			{ status, headers: { 'content-type': 'application/json; charset=utf-8' } }
		);
	const title = status === 404 ? t('error_not_found_title') : t('error_title');
	return new Response(
		`<!doctype html><html lang="${event.locals.locale}"><head><meta charset="utf-8">` +
			`<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — Parvis</title>` +
			`<link rel="stylesheet" href="/app.css"></head><body><main id="main"><h1>${escapeHtml(title)}</h1>` +
			`<p>${escapeHtml(message)}</p><p><a href="/">${escapeHtml(t('error_back_home'))}</a></p></main></body></html>`,
		{ status, headers: { 'content-type': 'text/html; charset=utf-8' } }
	);
}

/**
 * Addresses no page can answer, refused before they reach a query: control characters (NUL, which
 * PostgreSQL refuses in text) in the path (404) or the query (400), and an `[id]` route parameter that is
 * not a UUID (404; every id of Parvis is one).
 */
const handleBadUrl: Handle = ({ event, resolve }) => {
	let path: string;
	try {
		path = decodeURIComponent(event.url.pathname);
	} catch {
		return refuse(event, 404);
	}
	if (CONTROL.test(path)) return refuse(event, 404);
	for (const [key, value] of event.url.searchParams)
		if (key.includes('\u0000') || value.includes('\u0000')) return refuse(event, 400);
	for (const [name, value] of Object.entries(event.params))
		if ((name === 'id' || name.endsWith('Id')) && value !== undefined && !UUID.test(value))
			return refuse(event, 404);
	return resolve(event);
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * SvelteKit checks the origin of form posts; we apply the same rule to every state-changing request
 * (JSON endpoints included). Webhooks, authenticated by signature, are the exception.
 */
const handleOrigin: Handle = async ({ event, resolve }) => {
	if (UNSAFE.has(event.request.method) && !event.url.pathname.startsWith('/api/v1/webhooks/')) {
		const origin = event.request.headers.get('origin');
		const site = event.request.headers.get('sec-fetch-site');
		if (
			(origin && origin !== event.url.origin) ||
			(!origin && site && site !== 'same-origin' && site !== 'none')
		) {
			return new Response(
				JSON.stringify({ error: { code: 'forbidden', message: 'Cross-site request refused' } }),
				{
					status: 403,
					headers: { 'content-type': 'application/json' }
				}
			);
		}
	}
	return resolve(event);
};

const handleSession: Handle = async ({ event, resolve }) => {
	try {
		event.locals.ip = event.getClientAddress();
	} catch {
		event.locals.ip = null;
	}
	const token = event.cookies.get(SESSION_COOKIE) ?? null;
	event.locals.sessionToken = token;
	event.locals.actor = token ? await validateSession(token) : null;
	if (token && !event.locals.actor) event.cookies.delete(SESSION_COOKIE, { path: '/' });
	return resolve(event);
};

const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	// Redirect responses from fetch can be immutable; security headers only matter on ours.
	try {
		h.set('X-Content-Type-Options', 'nosniff');
		h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
		h.set('X-Frame-Options', 'DENY');
		h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(self), payment=()');
		if (event.url.protocol === 'https:') h.set('Strict-Transport-Security', 'max-age=31536000');
		if (event.locals.actor) h.set('Cache-Control', 'private, no-store');
	} catch {
		/* immutable headers */
	}
	return response;
};

/**
 * HTML and JSON compressed when the client accepts it (platform/compress.ts); outermost, so it sees the
 * final response. A page from the public cache arrives already gzipped (stored so) and is left alone.
 */
const handleCompression: Handle = async ({ event, resolve }) =>
	compressResponse(event.request, await resolve(event));

// The public page cache sits after the session (signed-in people bypass it) and before the headers
// (a stored response keeps them).
export const handle = sequence(
	handleCompression,
	handleLocale,
	handleBadUrl,
	handleOrigin,
	handleSession,
	handlePublicCache,
	handleHeaders
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status === 404) return { message: t('error_not_found') };
	const errorId = randomUUID();
	// Never the error object itself: a database error carries the query's parameters (a password hash,
	// an e-mail address). Its name, code, message without parameters and stack frames are enough.
	console.error(`[error ${errorId}] ${event.request.method} ${event.url.pathname} ${describeError(error)}`);
	return { message: t('error_generic'), errorId };
};
