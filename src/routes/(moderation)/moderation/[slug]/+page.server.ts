import { redirect } from '@sveltejs/kit';
import { getReviewPage, listCriteria, reviewProject } from '$lib/server/moderation';
import { formAction, loadOr } from '$lib/server/platform/route';
import { renderMarkdown } from '$lib/server/platform/markdown';
import { reviewFormSchema } from '$lib/shared/moderation/schemas';
import { moderatorOnly } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = moderatorOnly(event);
	// Unknown slug: 404; a project the person may not moderate: 403.
	const page = await loadOr(() => getReviewPage(actor, event.params.slug));
	return {
		...page,
		descriptionHtml: renderMarkdown(page.project.description),
		awaitingDecision: page.project.status === 'submitted'
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = moderatorOnly(event);
		const { project } = await loadOr(() => getReviewPage(actor, event.params.slug));
		// The form's fields follow the criteria in force.
		const schema = reviewFormSchema((await listCriteria()).map((c) => c.id));
		return formAction(schema, async (data) => {
			await loadOr(() => reviewProject(actor, project.id, data), ['forbidden']);
			const scheduled =
				data.decision === 'approve' &&
				!!data.publishOn &&
				new Date(`${data.publishOn}T00:00:00Z`) > new Date();
			redirect(303, `/moderation?done=${scheduled ? 'scheduled' : data.decision}`);
		})(event);
	}
};
