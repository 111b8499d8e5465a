import { redirect } from '@sveltejs/kit';
import { verifyEmail } from '$lib/server/accounts';
import { AppError } from '$lib/server/platform/errors';
import { requestContext } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

// The link only shows a confirmation button: mail scanners that follow links must not consume the token.
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
	default: async (event) => {
		const token = String((await event.request.formData()).get('token') ?? '');
		let purpose;
		try {
			({ purpose } = await verifyEmail(token, requestContext(event)));
		} catch (e) {
			if (e instanceof AppError) return { failed: true };
			throw e;
		}
		redirect(303, purpose === 'email_change' ? '/me/security?emailChanged=1' : '/signin?verified=1');
	}
};
