import { redirect } from '@sveltejs/kit';
import { deleteAccountSchema } from '$lib/shared/accounts/schemas';
import { deleteAccount, SESSION_COOKIE } from '$lib/server/accounts';
import { formAction } from '$lib/server/platform/route';
import { requestContext } from '$lib/server/platform/http';
import type { Actions } from './$types';

export const actions: Actions = {
	default: formAction(deleteAccountSchema, async (data, event) => {
		await deleteAccount(event.locals.actor, data, requestContext(event));
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/?deleted=1');
	})
};
