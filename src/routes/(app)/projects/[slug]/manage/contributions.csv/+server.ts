import { error } from '@sveltejs/kit';
import { contributionsCsv } from '$lib/server/contributions';
import { getProjectForTeam } from '$lib/server/projects';
import { AppError } from '$lib/server/platform/errors';
import { t } from '$lib/i18n';
import type { RequestHandler } from './$types';

/**
 * The team's "Download CSV": every contribution of the project, for a spreadsheet. Answers like the
 * manage pages: 404 for a project the person may not see (a draft is not revealed by a 403), 403 for a
 * public project they are not on the team of.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	let csv: string;
	try {
		const team = await getProjectForTeam(locals.actor, params.slug);
		csv = await contributionsCsv(locals.actor, team.row.id);
	} catch (e) {
		if (e instanceof AppError) error(e.status, t(e.messageKey));
		throw e;
	}
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${params.slug}-contributions.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
