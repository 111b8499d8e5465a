import { listAllCriteria, moveCriterion, setCriterionArchived } from '$lib/server/moderation';
import { adminOnly } from '../../guard';
import { orderedListActions } from '../ordered-list';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	return {
		criteria: await listAllCriteria(actor),
		created: event.url.searchParams.get('created') === '1'
	};
};

export const actions: Actions = orderedListActions(moveCriterion, setCriterionArchived);
