import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { db } from '$lib/server/db/client';
import { canModerateTerritory, type Actor } from '$lib/server/accounts';
import { getProjectPage, projectHistory, projectIdBySlug } from '$lib/server/projects';
import { listCriteria, reviewMaterial, reviewProject } from '$lib/server/moderation';
import { AppError } from '$lib/server/platform/errors';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { renderMarkdown } from '$lib/server/platform/markdown';
import { reviewFormSchema } from '$lib/shared/moderation/schemas';
import { moderatorOnly } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

/** The project, for a moderator of its territory (or an ancestor) or an administrator; else 404 or 403. */
async function projectFor(actor: Actor, slug: string) {
	let page: Awaited<ReturnType<typeof getProjectPage>> | null = null;
	try {
		page = await getProjectPage(actor, slug);
	} catch (e) {
		if (!(e instanceof AppError && e.code === 'not_found')) throw e;
	}
	if (!page) {
		// Unknown slug: 404. A project the person may not see: another territory's, 403.
		try {
			await projectIdBySlug(slug);
		} catch (e) {
			if (e instanceof AppError && e.code === 'not_found') error(404, t('error_not_found'));
			throw e;
		}
		error(403, t('error_forbidden'));
	}
	// Public projects and the person's own team's are visible to them; moderating them is another matter.
	if (!(await canModerateTerritory(db(), actor, page.project.territoryId))) error(403, t('error_forbidden'));
	return page;
}

export const load: PageServerLoad = async (event) => {
	const actor = moderatorOnly(event);
	const page = await projectFor(actor, event.params.slug);
	const [history, material] = await Promise.all([
		projectHistory(page.project.id),
		reviewMaterial(page.project.id)
	]);
	return {
		project: page.project,
		stages: page.stages,
		team: page.team,
		descriptionHtml: renderMarkdown(page.project.description),
		history,
		material,
		awaitingDecision: page.project.status === 'submitted'
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = moderatorOnly(event);
		const page = await projectFor(actor, event.params.slug);
		const criteria = await listCriteria();
		const parsed = await parseForm(event.request, reviewFormSchema(criteria.map((c) => c.id)));
		if (!parsed.ok) return parsed.failure;
		try {
			await reviewProject(actor, page.project.id, parsed.data);
		} catch (e) {
			if (e instanceof AppError && e.code === 'forbidden') error(403, t('error_forbidden'));
			return failForm(e, parsed.values);
		}
		const { decision, publishOn } = parsed.data;
		const scheduled =
			decision === 'approve' && !!publishOn && new Date(`${publishOn}T00:00:00Z`) > new Date();
		redirect(303, `/moderation?done=${scheduled ? 'scheduled' : decision}`);
	}
};
