import { redirect } from '@sveltejs/kit';
import { locales, cookieName, cookieMaxAge } from '$lib/paraglide/runtime.js';
import type { RequestHandler } from './$types';

/** Switches the interface language (a plain form post, so it works without JavaScript). */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	const returnTo = String(form.get('returnTo') ?? '/');
	if ((locales as readonly string[]).includes(locale)) {
		cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax' });
	}
	redirect(303, returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/');
};
