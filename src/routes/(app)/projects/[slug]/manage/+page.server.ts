import { redirect } from '@sveltejs/kit';
import { cancelProjectSchema } from '$lib/shared/projects/schemas';
import { submitProject, reviewMaterial } from '$lib/server/moderation';
import { cancelProject, startProject, completeProject, projectIdBySlug, can } from '$lib/server/projects';
import { formAction } from '$lib/server/platform/route';
import type { FormValues } from '$lib/shared/platform/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, url, locals }) => {
	const { team } = await parent();
	const [review, cancel] = await Promise.all([
		reviewMaterial(team.row.id),
		can(locals.actor, 'project.cancel', team.row)
	]);
	// The policy's answer: the owner, or a moderator of the project's territory (the command checks again).
	return { review, created: url.searchParams.get('created') === '1', can: { cancel } };
};

/** The submission's answers: `meets_<criterion>` = yes/no, with `explanation_<criterion>`. */
function answersFrom(values: FormValues) {
	const answers: Record<string, { meets: boolean; explanation: string }> = {};
	for (const [key, value] of Object.entries(values)) {
		const match = key.match(/^meets_(.+)$/);
		if (match && (value === 'yes' || value === 'no')) {
			answers[match[1]] = {
				meets: value === 'yes',
				explanation: String(values[`explanation_${match[1]}`] ?? '').slice(0, 1000)
			};
		}
	}
	return answers;
}

export const actions: Actions = {
	submit: formAction(
		null,
		async (values, { params, locals }) => {
			await submitProject(locals.actor, await projectIdBySlug(params.slug), { answers: answersFrom(values) });
			redirect(303, `/projects/${params.slug}/manage?submitted=1`);
		},
		{ form: 'submit' }
	),
	start: formAction(
		null,
		async (_values, { params, locals }) => {
			await startProject(locals.actor, await projectIdBySlug(params.slug));
			return { done: 'started' };
		},
		{ form: 'lifecycle' }
	),
	complete: formAction(
		null,
		async (values, { params, locals }) => {
			await completeProject(locals.actor, await projectIdBySlug(params.slug), String(values.account ?? ''));
			return { done: 'completed' };
		},
		{ form: 'complete' }
	),
	cancel: formAction(
		cancelProjectSchema,
		async ({ reason }, { params, locals }) => {
			await cancelProject(locals.actor, await projectIdBySlug(params.slug), reason);
			return { done: 'cancelled' };
		},
		{ form: 'cancel' }
	)
};
