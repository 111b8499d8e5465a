import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { criterionSchema } from '$lib/shared/moderation/schemas';
import { getCriterion, updateCriterion } from '$lib/server/moderation';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { adminOnly } from '../../../guard';
import { isUuid } from '../../schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	const criterion = isUuid(event.params.id) ? await getCriterion(actor, event.params.id) : undefined;
	if (!criterion) error(404, t('error_not_found'));
	return { criterion };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminOnly(event);
		if (!isUuid(event.params.id)) error(404, t('error_not_found'));
		const parsed = await parseForm(event.request, criterionSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateCriterion(actor, event.params.id, parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { saved: true };
	}
};
