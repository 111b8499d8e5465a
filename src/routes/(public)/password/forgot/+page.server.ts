import { requestResetSchema } from '$lib/shared/accounts/schemas';
import { requestPasswordReset } from '$lib/server/accounts';
import { formAction } from '$lib/server/platform/route';
import { requestContext } from '$lib/server/platform/http';
import type { Actions } from './$types';

export const actions: Actions = {
	default: formAction(requestResetSchema, async (data, event) => {
		await requestPasswordReset(data.email, requestContext(event));
		return { sent: true, email: data.email };
	})
};
