import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { cookieName, cookieMaxAge } from '$lib/paraglide/runtime.js';

/** Where a request comes from, for rate limits and the audit log (the domains' commands take it). */
export interface RequestContext {
	ip: string | null;
	userAgent?: string | null;
}

/** Where the request comes from, for the domain's rate limits and audit log. */
export function requestContext(event: Pick<RequestEvent, 'locals' | 'request'>): RequestContext {
	return { ip: event.locals.ip, userAgent: event.request.headers.get('user-agent') };
}

/**
 * Remembers the person's language in the locale cookie: Secure only over HTTPS (SvelteKit's default
 * would mark it Secure on http://127.0.0.1 or a LAN address too, and browsers then drop it).
 */
export function setLocaleCookie(cookies: Cookies, locale: string, url: URL): void {
	cookies.set(cookieName, locale, {
		path: '/',
		maxAge: cookieMaxAge,
		httpOnly: false,
		sameSite: 'lax',
		secure: url.protocol === 'https:'
	});
}

// eslint-disable-next-line no-control-regex
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f\\]/;

/**
 * A safe local path to go back to after signing in (never another site). Checked on the decoded value
 * too: browsers drop tabs and newlines and read a backslash as a slash, so `/%09/evil.example` or
 * `/\\evil.example` would lead off-site. What does not resolve to this origin is refused; the path comes back
 * percent-encoded (a non-ASCII character cannot break the Location header).
 */
export function safeReturnTo(value: string | null | undefined, fallback = '/me'): string {
	if (!value || !value.startsWith('/') || value.length > 2000) return fallback;
	let decoded: string;
	try {
		decoded = decodeURIComponent(value);
	} catch {
		return fallback;
	}
	for (const v of [value, decoded]) {
		if (UNSAFE_IN_PATH.test(v) || v.startsWith('//')) return fallback;
	}
	const base = 'http://parvis.invalid';
	let url: URL;
	try {
		url = new URL(value, base);
	} catch {
		return fallback;
	}
	return url.origin === base ? url.pathname + url.search + url.hash : fallback;
}
