import { error, redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime.js';
import { setupSchema } from '$lib/shared/accounts/schemas';
import { createFirstAdmin, isValidSetupToken } from '$lib/server/accounts';
import { formAction } from '$lib/server/platform/route';
import { requestContext } from '$lib/server/platform/http';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const token = url.searchParams.get('token') ?? '';
	if (!(await isValidSetupToken(token))) error(404, t('accounts_error_token_invalid'));
	return { token, defaultLocale: getLocale() };
};

export const actions: Actions = {
	default: formAction(setupSchema, async (data, event) => {
		await createFirstAdmin(data, requestContext(event));
		redirect(303, '/signin?verified=1');
	})
};
