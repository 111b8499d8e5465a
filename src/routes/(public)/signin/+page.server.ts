import { redirect } from '@sveltejs/kit';
import { signInSchema } from '$lib/shared/accounts/schemas';
import { signIn, setSessionCookie } from '$lib/server/accounts';
import { formAction } from '$lib/server/platform/route';
import { requestContext, safeReturnTo, setLocaleCookie } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.actor) redirect(303, safeReturnTo(url.searchParams.get('returnTo')));
	return {
		// Carried by the form to the POST: only a safe local path (never another site).
		returnTo: safeReturnTo(url.searchParams.get('returnTo'), ''),
		verified: url.searchParams.get('verified') === '1',
		reset: url.searchParams.get('reset') === '1'
	};
};

export const actions: Actions = {
	default: formAction(signInSchema, async (data, event, values) => {
		const session = await signIn(data, requestContext(event));
		// A new token at every sign-in: an old session cookie is replaced, never reused.
		setSessionCookie(event.cookies, session.token, event.url);
		setLocaleCookie(event.cookies, session.locale, event.url);
		redirect(303, safeReturnTo(String(values.returnTo ?? '')));
	})
};
