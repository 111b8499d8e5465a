import { error } from '@sveltejs/kit';
import { contributionsCsv } from '$lib/server/contributions';
import { projectIdBySlug } from '$lib/server/projects';
import { AppError } from '$lib/server/platform/errors';
import { t } from '$lib/i18n';
import type { RequestHandler } from './$types';

/** The team's "Download CSV": every contribution of the project, for a spreadsheet. */
export const GET: RequestHandler = async ({ params, locals }) => {
	let csv: string;
	try {
		csv = await contributionsCsv(locals.actor, await projectIdBySlug(params.slug));
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
