import { error } from '@sveltejs/kit';
import { getProjectForTeam, isEditable } from '$lib/server/projects';
import { AppError } from '$lib/server/platform/errors';
import { t } from '$lib/i18n';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ params, locals, depends }) => {
	depends('app:project');
	try {
		const team = await getProjectForTeam(locals.actor, params.slug);
		return { team, editable: isEditable(team.row.status) };
	} catch (e) {
		if (e instanceof AppError && e.code === 'forbidden') error(403, t('error_forbidden'));
		if (e instanceof AppError && e.code === 'not_found') error(404, t('error_not_found'));
		throw e;
	}
};
