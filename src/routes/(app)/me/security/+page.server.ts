import { changeEmailSchema, changePasswordSchema } from '$lib/shared/accounts/schemas';
import { changePassword, requestEmailChange } from '$lib/server/accounts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext, setSessionCookie } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => ({
	email: locals.actor!.email,
	emailChanged: url.searchParams.get('emailChanged') === '1'
});

export const actions: Actions = {
	password: async (event) => {
		const parsed = await parseForm(event.request, changePasswordSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const token = await changePassword(event.locals.actor, parsed.data, requestContext(event));
			setSessionCookie(event.cookies, token, event.url);
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { passwordChanged: true };
	},
	email: async (event) => {
		const parsed = await parseForm(event.request, changeEmailSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await requestEmailChange(event.locals.actor, parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { emailSent: parsed.data.newEmail };
	}
};
