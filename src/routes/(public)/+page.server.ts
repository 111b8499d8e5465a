import { listTerritories, listThemes } from '$lib/server/territories';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const [territories, themes] = await Promise.all([listTerritories(), listThemes()]);
	return {
		regions: territories.filter((t) => t.depth === 0),
		themes,
		signedOut: url.searchParams.get('signedOut') === '1',
		deleted: url.searchParams.get('deleted') === '1'
	};
};
