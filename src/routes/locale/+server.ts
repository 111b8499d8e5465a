import { redirect } from '@sveltejs/kit';
import { locales } from '$lib/paraglide/runtime.js';
import { safeReturnTo, setLocaleCookie } from '$lib/server/platform/http';
import type { RequestHandler } from './$types';

/** Switches the interface language (a plain form post, so it works without JavaScript). */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	const returnTo = String(form.get('returnTo') ?? '/');
	if ((locales as readonly string[]).includes(locale)) {
		setLocaleCookie(cookies, locale, url);
	}
	redirect(303, safeReturnTo(returnTo, '/'));
};
