import { resendVerification } from '$lib/server/accounts';
import { requestContext } from '$lib/server/platform/http';
import { AppError } from '$lib/server/platform/errors';
import { fail } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { formValues } from '$lib/shared/platform/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ email: url.searchParams.get('email') ?? '' });

export const actions: Actions = {
	resend: async (event) => {
		const email = String(formValues(await event.request.formData()).email ?? '');
		try {
			await resendVerification(email, requestContext(event));
		} catch (e) {
			if (e instanceof AppError && e.code === 'rate_limited')
				return fail(429, { message: t(e.messageKey), email });
			throw e;
		}
		return { resent: true, email };
	}
};
