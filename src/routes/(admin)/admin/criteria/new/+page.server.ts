import { redirect } from '@sveltejs/kit';
import { criterionSchema } from '$lib/shared/moderation/schemas';
import { createCriterion } from '$lib/server/moderation';
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
		const parsed = await parseForm(event.request, criterionSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await createCriterion(actor, parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		redirect(303, '/admin/criteria?created=1');
	}
};
