import { error } from '@sveltejs/kit';
import { projectMoney } from '$lib/server/ledger';
import { projectIdBySlug } from '$lib/server/projects';
import { AppError } from '$lib/server/platform/errors';
import { t } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	try {
		return await projectMoney(await projectIdBySlug(params.slug), locals.actor);
	} catch (e) {
		if (e instanceof AppError && e.code === 'not_found') error(404, t('error_not_found'));
		throw e;
	}
};
