import { redirect } from '@sveltejs/kit';
import { territorySchema } from '$lib/shared/territories/schemas';
import { createTerritory, listTerritories } from '$lib/server/territories';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { adminOnly } from '../../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	adminOnly(event);
	return { territories: await listTerritories({ includeArchived: true }) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminOnly(event);
		const parsed = await parseForm(event.request, territorySchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await createTerritory(actor, parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		redirect(303, '/admin/territories?created=1');
	}
};
