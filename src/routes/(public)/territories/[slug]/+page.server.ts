import { error } from '@sveltejs/kit';
import { getTerritoryBySlug, territoryAncestors, childTerritories } from '$lib/server/territories';
import { projectsInTerritory, summarizeCard } from '$lib/server/projects';
import { t } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const territory = await getTerritoryBySlug(params.slug);
	if (!territory) error(404, t('error_not_found'));
	const [ancestors, children, projects] = await Promise.all([
		territoryAncestors(territory.id),
		childTerritories(territory.id),
		projectsInTerritory(territory.slug)
	]);
	return {
		territory,
		ancestors,
		children,
		projects: { ...projects, rows: projects.rows.map(summarizeCard) }
	};
};
