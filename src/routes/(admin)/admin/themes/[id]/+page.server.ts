import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { themeSchema } from '$lib/shared/territories/schemas';
import { getTheme, updateTheme } from '$lib/server/territories';
import { updateItemAction } from '../../ordered-list';
import { adminOnly } from '../../../guard';
import { isUuid } from '../../schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	adminOnly(event);
	const theme = isUuid(event.params.id) ? await getTheme(event.params.id) : undefined;
	if (!theme) error(404, t('error_not_found'));
	return { theme };
};

export const actions: Actions = { default: updateItemAction(themeSchema, updateTheme) };
