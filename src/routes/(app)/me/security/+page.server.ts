import { changeEmailSchema, changePasswordSchema } from '$lib/shared/accounts/schemas';
import { changePassword, requestEmailChange, setSessionCookie } from '$lib/server/accounts';
import { formAction } from '$lib/server/platform/route';
import { requestContext } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => ({
	email: locals.actor!.email,
	emailChanged: url.searchParams.get('emailChanged') === '1'
});

export const actions: Actions = {
	password: formAction(changePasswordSchema, async (data, event) => {
		const token = await changePassword(event.locals.actor, data, requestContext(event));
		setSessionCookie(event.cookies, token, event.url);
		return { passwordChanged: true };
	}),
	email: formAction(changeEmailSchema, async (data, event) => {
		await requestEmailChange(event.locals.actor, data, requestContext(event));
		return { emailSent: data.newEmail };
	})
};
