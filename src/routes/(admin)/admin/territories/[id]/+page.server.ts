import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { territorySchema } from '$lib/shared/territories/schemas';
import { listTerritories, updateTerritory } from '$lib/server/territories';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { adminOnly } from '../../../guard';
import { isUuid } from '../../schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	adminOnly(event);
	const territories = await listTerritories({ includeArchived: true });
	const territory = territories.find((x) => x.id === event.params.id);
	if (!territory) error(404, t('error_not_found'));
	return { territory, territories };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminOnly(event);
		if (!isUuid(event.params.id)) error(404, t('error_not_found'));
		const parsed = await parseForm(event.request, territorySchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateTerritory(actor, event.params.id, parsed.data, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { saved: true };
	}
};
