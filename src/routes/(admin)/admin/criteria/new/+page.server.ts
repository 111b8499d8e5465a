import { criterionSchema } from '$lib/shared/moderation/schemas';
import { createCriterion } from '$lib/server/moderation';
import { createItemAction } from '../../ordered-list';
import { adminOnly } from '../../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	adminOnly(event);
	return {};
};

export const actions: Actions = {
	default: createItemAction(criterionSchema, createCriterion, '/admin/criteria')
};
