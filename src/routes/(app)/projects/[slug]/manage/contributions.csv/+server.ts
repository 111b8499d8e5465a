import { contributionsCsv } from '$lib/server/contributions';
import { projectIdBySlug } from '$lib/server/projects';
import { loadOr } from '$lib/server/platform/route';
import type { RequestHandler } from './$types';

/** The team's "Download CSV": every contribution of the project, for a spreadsheet. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const csv = await loadOr(async () => contributionsCsv(locals.actor, await projectIdBySlug(params.slug)));
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${params.slug}-contributions.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
