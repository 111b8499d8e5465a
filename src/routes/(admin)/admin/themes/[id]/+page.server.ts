import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { themeSchema } from '$lib/shared/territories/schemas';
import { getTheme, updateTheme } from '$lib/server/territories';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { adminOnly } from '../../../guard';
import { isUuid } from '../../schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	adminOnly(event);
	const theme = isUuid(event.params.id) ? await getTheme(event.params.id) : undefined;
	if (!theme) error(404, t('error_not_found'));
	return { theme };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminOnly(event);
		if (!isUuid(event.params.id)) error(404, t('error_not_found'));
		const parsed = await parseForm(event.request, themeSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateTheme(actor, event.params.id, parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { saved: true };
	}
};
