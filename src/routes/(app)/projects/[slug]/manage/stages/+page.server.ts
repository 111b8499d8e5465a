import { stageSchema } from '$lib/shared/projects/schemas';
import { addStage, updateStage, deleteStage, projectIdBySlug } from '$lib/server/projects';
import { formAction } from '$lib/server/platform/route';
import type { FormValues } from '$lib/shared/platform/forms';
import type { Actions } from './$types';

const byId = (form: string) => (values: FormValues) => ({ form, target: String(values.id ?? '') });

export const actions: Actions = {
	add: formAction(
		stageSchema,
		async (data, { params, locals }) => {
			await addStage(locals.actor, await projectIdBySlug(params.slug), data);
			return { saved: true };
		},
		{ form: 'add' }
	),
	update: formAction(
		stageSchema,
		async (data, { params, locals }, values) => {
			await updateStage(locals.actor, await projectIdBySlug(params.slug), String(values.id ?? ''), data);
			return { saved: true };
		},
		byId('update')
	),
	delete: formAction(
		null,
		async (values, { params, locals }) => {
			await deleteStage(locals.actor, await projectIdBySlug(params.slug), String(values.id ?? ''));
			return { saved: true };
		},
		byId('delete')
	)
};
