import { listThemes, moveTheme, setThemeArchived } from '$lib/server/territories';
import { adminOnly } from '../../guard';
import { orderedListActions } from '../ordered-list';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	adminOnly(event);
	return {
		themes: await listThemes({ includeArchived: true }),
		created: event.url.searchParams.get('created') === '1'
	};
};

export const actions: Actions = orderedListActions(moveTheme, setThemeArchived);
