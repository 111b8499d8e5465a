import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { territorySchema } from '$lib/shared/territories/schemas';
import { listTerritories, updateTerritory } from '$lib/server/territories';
import { updateItemAction } from '../../ordered-list';
import { adminOnly } from '../../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	adminOnly(event);
	const territories = await listTerritories({ includeArchived: true });
	const territory = territories.find((x) => x.id === event.params.id);
	if (!territory) error(404, t('error_not_found'));
	return { territory, territories };
};

export const actions: Actions = { default: updateItemAction(territorySchema, updateTerritory) };
