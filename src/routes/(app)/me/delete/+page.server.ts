import { redirect } from '@sveltejs/kit';
import { deleteAccountSchema } from '$lib/shared/accounts/schemas';
import { deleteAccount, SESSION_COOKIE } from '$lib/server/accounts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event.request, deleteAccountSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await deleteAccount(event.locals.actor, parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/?deleted=1');
	}
};
