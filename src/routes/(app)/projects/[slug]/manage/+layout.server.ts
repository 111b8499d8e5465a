import { getProjectForTeam, isEditable } from '$lib/server/projects';
import { loadOr } from '$lib/server/platform/route';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ params, locals, depends }) => {
	depends('app:project');
	const team = await loadOr(() => getProjectForTeam(locals.actor, params.slug), ['forbidden', 'not_found']);
	return { team, editable: isEditable(team.row.status) };
};
