import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { criterionSchema } from '$lib/shared/moderation/schemas';
import { getCriterion, updateCriterion } from '$lib/server/moderation';
import { updateItemAction } from '../../ordered-list';
import { adminOnly } from '../../../guard';
import { isUuid } from '../../schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	const criterion = isUuid(event.params.id) ? await getCriterion(actor, event.params.id) : undefined;
	if (!criterion) error(404, t('error_not_found'));
	return { criterion };
};

export const actions: Actions = { default: updateItemAction(criterionSchema, updateCriterion) };
