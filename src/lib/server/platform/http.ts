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

/** Remembers the person's language in the locale cookie. */
export function setLocaleCookie(cookies: Cookies, locale: string): void {
	cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax' });
}

/** A safe local path to go back to after signing in (never another site). */
export function safeReturnTo(value: string | null | undefined, fallback = '/me'): string {
	return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
		? value
		: fallback;
}
