import { error, redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime.js';
import { setupSchema } from '$lib/shared/accounts/schemas';
import { createFirstAdmin, isValidSetupToken } from '$lib/server/accounts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const token = url.searchParams.get('token') ?? '';
	if (!(await isValidSetupToken(token))) error(404, t('accounts_error_token_invalid'));
	return { token, defaultLocale: getLocale() };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event.request, setupSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await createFirstAdmin(parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		redirect(303, '/signin?verified=1');
	}
};
