import { fail, redirect } from '@sveltejs/kit';
import { submitProject, reviewMaterial } from '$lib/server/moderation';
import { cancelProject, startProject, completeProject, projectIdBySlug } from '$lib/server/projects';
import { failForm } from '$lib/server/platform/forms';
import { formValues } from '$lib/shared/platform/forms';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, url }) => {
	const { team } = await parent();
	return { review: await reviewMaterial(team.row.id), created: url.searchParams.get('created') === '1' };
};

export const actions: Actions = {
	submit: async (event) => {
		const data = await event.request.formData();
		const values = formValues(data);
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
		const { params, locals } = event;
		try {
			const id = await projectIdFor(event);
			await submitProject(locals.actor, id, { answers });
		} catch (e) {
			return failForm(e, values, { form: 'submit' });
		}
		redirect(303, `/projects/${params.slug}/manage?submitted=1`);
	},
	start: async (event) => {
		try {
			await startProject(event.locals.actor, await projectIdFor(event));
		} catch (e) {
			return failForm(e, {}, { form: 'lifecycle' });
		}
		return { done: 'started' };
	},
	complete: async (event) => {
		const values = formValues(await event.request.formData());
		try {
			await completeProject(event.locals.actor, await projectIdFor(event), String(values.account ?? ''));
		} catch (e) {
			return failForm(e, values, { form: 'complete' });
		}
		return { done: 'completed' };
	},
	cancel: async (event) => {
		const values = formValues(await event.request.formData());
		if (!String(values.reason ?? '').trim()) {
			return fail(400, {
				values,
				errors: { reason: t('form_error_required') },
				message: t('form_error_summary'),
				form: 'cancel'
			});
		}
		try {
			await cancelProject(event.locals.actor, await projectIdFor(event), String(values.reason));
		} catch (e) {
			return failForm(e, values, { form: 'cancel' });
		}
		return { done: 'cancelled' };
	}
};

function projectIdFor(event: { params: { slug: string } }): Promise<string> {
	return projectIdBySlug(event.params.slug);
}
