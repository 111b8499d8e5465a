import { redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime.js';
import { signUpSchema } from '$lib/shared/accounts/schemas';
import { signUp } from '$lib/server/accounts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.actor) redirect(303, '/me');
	return { defaultLocale: getLocale() };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event.request, signUpSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await signUp(parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		redirect(303, `/signup/done?email=${encodeURIComponent(parsed.data.email)}`);
	}
};
