import { error } from '@sveltejs/kit';
import { getTerritoryBySlug, territoryAncestors, childTerritories } from '$lib/server/territories';
import { t } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const territory = await getTerritoryBySlug(params.slug);
	if (!territory) error(404, t('error_not_found'));
	const [ancestors, children] = await Promise.all([
		territoryAncestors(territory.id),
		childTerritories(territory.id)
	]);
	return { territory, ancestors, children };
};
