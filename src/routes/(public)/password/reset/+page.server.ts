import { redirect } from '@sveltejs/kit';
import { resetPasswordSchema } from '$lib/shared/accounts/schemas';
import { resetPassword } from '$lib/server/accounts';
import { formAction } from '$lib/server/platform/route';
import { requestContext } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
	default: formAction(resetPasswordSchema, async (data, event) => {
		await resetPassword(data, requestContext(event));
		redirect(303, '/signin?reset=1');
	})
};
