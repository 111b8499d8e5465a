import { listAllCriteria, moveCriterion, setCriterionArchived } from '$lib/server/moderation';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { adminOnly } from '../../guard';
import { archiveSchema, moveSchema } from '../schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	return {
		criteria: await listAllCriteria(actor),
		created: event.url.searchParams.get('created') === '1'
	};
};

export const actions: Actions = {
	move: async (event) => {
		const actor = adminOnly(event);
		const parsed = await parseForm(event.request, moveSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await moveCriterion(actor, parsed.data.id, parsed.data.direction, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { done: 'moved', id: parsed.data.id };
	},
	archive: async (event) => {
		const actor = adminOnly(event);
		const parsed = await parseForm(event.request, archiveSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await setCriterionArchived(actor, parsed.data.id, parsed.data.archived, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { done: parsed.data.archived ? 'archived' : 'restored', id: parsed.data.id };
	}
};
