import { redirect } from '@sveltejs/kit';
import { resetPasswordSchema } from '$lib/shared/accounts/schemas';
import { resetPassword } from '$lib/server/accounts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event.request, resetPasswordSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await resetPassword(parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		redirect(303, '/signin?reset=1');
	}
};
