import { countModerators, listUsers } from '$lib/server/accounts';
import { listTerritories, listThemes } from '$lib/server/territories';
import { adminOnly } from '../guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	const [people, territories, themes, moderators] = await Promise.all([
		listUsers(actor, { page: 1 }),
		listTerritories(),
		listThemes(),
		countModerators(actor)
	]);
	return {
		counts: {
			people: Number(people.total),
			territories: territories.length,
			themes: themes.length,
			moderators
		}
	};
};
