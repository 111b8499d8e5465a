import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { cookieName, cookieMaxAge } from '$lib/paraglide/runtime.js';
import { SESSION_COOKIE, SESSION_ABSOLUTE_MS, type RequestContext } from '../accounts';

/** Where the request comes from, for the domain's rate limits and audit log. */
export function requestContext(event: Pick<RequestEvent, 'locals' | 'request'>): RequestContext {
	return { ip: event.locals.ip, userAgent: event.request.headers.get('user-agent') };
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function setSessionCookie(cookies: Cookies, token: string, url: URL): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000)
	});
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
