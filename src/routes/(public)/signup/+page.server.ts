import { redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime.js';
import { signUpSchema } from '$lib/shared/accounts/schemas';
import { signUp } from '$lib/server/accounts';
import { formAction } from '$lib/server/platform/route';
import { requestContext } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.actor) redirect(303, '/me');
	return { defaultLocale: getLocale() };
};

export const actions: Actions = {
	default: formAction(signUpSchema, async (data, event) => {
		await signUp(data, requestContext(event));
		redirect(303, `/signup/done?email=${encodeURIComponent(data.email)}`);
	})
};
