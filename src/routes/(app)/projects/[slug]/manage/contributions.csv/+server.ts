import { contributionsCsv } from '$lib/server/contributions';
import { getProjectForTeam } from '$lib/server/projects';
import { loadOr } from '$lib/server/platform/route';
import type { RequestHandler } from './$types';

/**
 * The team's "Download CSV": every contribution of the project, for a spreadsheet. Answers like the
 * manage pages: 404 for a project the person may not see (a draft is not revealed by a 403), 403 for a
 * public project they are not on the team of.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const csv = await loadOr(async () => {
		const team = await getProjectForTeam(locals.actor, params.slug);
		return contributionsCsv(locals.actor, team.row.id);
	});
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${params.slug}-contributions.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
