import { listTerritories, moveTerritory, setTerritoryArchived } from '$lib/server/territories';
import { adminOnly } from '../../guard';
import { orderedListActions } from '../ordered-list';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	adminOnly(event);
	return {
		territories: await listTerritories({ includeArchived: true }),
		created: event.url.searchParams.get('created') === '1'
	};
};

export const actions: Actions = orderedListActions(moveTerritory, setTerritoryArchived);
