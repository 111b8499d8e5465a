import { listTerritories, listThemes } from '$lib/server/territories';
import { searchProjects, summarizeCard } from '$lib/server/projects';
import type { PageServerLoad } from './$types';

// Nothing on the home page needs JavaScript (links, and the layout's two forms that post without it): it
// is not hydrated, so it ships no JavaScript and no serialized data. Links from it load the next page.
export const csr = false;

export const load: PageServerLoad = async ({ url }) => {
	const [territories, themes, latest] = await Promise.all([
		listTerritories(),
		listThemes(),
		searchProjects({ page: 1, per_page: 6 })
	]);
	return {
		latest: latest.rows.map(summarizeCard),
		regions: territories.filter((t) => t.depth === 0),
		themes,
		signedOut: url.searchParams.get('signedOut') === '1',
		deleted: url.searchParams.get('deleted') === '1'
	};
};
