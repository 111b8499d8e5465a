import { themeSchema } from '$lib/shared/territories/schemas';
import { createTheme } from '$lib/server/territories';
import { createItemAction } from '../../ordered-list';
import { adminOnly } from '../../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	adminOnly(event);
	return {};
};

export const actions: Actions = { default: createItemAction(themeSchema, createTheme, '/admin/themes') };
