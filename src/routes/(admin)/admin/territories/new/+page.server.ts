import { territorySchema } from '$lib/shared/territories/schemas';
import { createTerritory, listTerritories } from '$lib/server/territories';
import { createItemAction } from '../../ordered-list';
import { adminOnly } from '../../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	adminOnly(event);
	return { territories: await listTerritories({ includeArchived: true }) };
};

export const actions: Actions = {
	default: createItemAction(territorySchema, createTerritory, '/admin/territories')
};
