import { redirect } from '@sveltejs/kit';
import { themeSchema } from '$lib/shared/territories/schemas';
import { createTheme } from '$lib/server/territories';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { adminOnly } from '../../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	adminOnly(event);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminOnly(event);
		const parsed = await parseForm(event.request, themeSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await createTheme(actor, parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		redirect(303, '/admin/themes?created=1');
	}
};
