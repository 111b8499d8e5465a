import { randomUUID } from 'node:crypto';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { boot, shutdown } from '$lib/server/app';
import { validateSession, SESSION_COOKIE } from '$lib/server/accounts';
import { t } from '$lib/i18n';
import { handlePublicCache } from '$lib/server/platform/page-cache';

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

// The public page cache sits after the session (signed-in people bypass it) and before the headers
// (a stored response keeps them).
export const handle = sequence(handleLocale, handleOrigin, handleSession, handlePublicCache, handleHeaders);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status === 404) return { message: t('error_not_found') };
	const errorId = randomUUID();
	console.error(`[error ${errorId}] ${event.request.method} ${event.url.pathname}`, error);
	return { message: t('error_generic'), errorId };
};
