import { projectSchema } from '$lib/shared/projects/schemas';
import {
	updateProject,
	setCover,
	projectIdBySlug,
	setOfflineInstructions,
	offlineInstructionsSchema
} from '$lib/server/projects';
import { listTerritories, listThemes } from '$lib/server/territories';
import { formAction } from '$lib/server/platform/route';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const [territories, themes] = await Promise.all([listTerritories(), listThemes()]);
	return { territories, themes };
};

export const actions: Actions = {
	offline: formAction(
		offlineInstructionsSchema,
		async (data, { params, locals }) => {
			await setOfflineInstructions(locals.actor, await projectIdBySlug(params.slug), data);
			return { saved: 'offline' };
		},
		{ form: 'offline' }
	),
	update: formAction(
		projectSchema,
		async (data, { params, locals }) => {
			await updateProject(locals.actor, await projectIdBySlug(params.slug), data);
			return { saved: 'update' };
		},
		{ form: 'update' }
	),
	cover: formAction(
		null,
		async (values, { params, locals }, _values, form) => {
			const file = form.get('cover');
			await setCover(
				locals.actor,
				await projectIdBySlug(params.slug),
				file instanceof File ? file : (null as never),
				String(values.coverAlt ?? '')
			);
			return { saved: 'cover' };
		},
		// Above BODY_SIZE_LIMIT the server refuses to read the body: say so beside the field.
		{ tag: { form: 'cover' }, tooLarge: { field: 'cover', messageKey: 'projects_error_cover_size' } }
	)
};
