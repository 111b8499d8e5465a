import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE, SESSION_ABSOLUTE_MS } from './sessions';

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
