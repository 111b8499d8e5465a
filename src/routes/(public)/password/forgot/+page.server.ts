import { requestResetSchema } from '$lib/shared/accounts/schemas';
import { requestPasswordReset } from '$lib/server/accounts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event.request, requestResetSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await requestPasswordReset(parsed.data.email, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { sent: true, email: parsed.data.email };
	}
};
