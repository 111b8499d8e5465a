import { stageSchema } from '$lib/shared/projects/schemas';
import { addStage, updateStage, deleteStage, projectIdBySlug } from '$lib/server/projects';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { formValues } from '$lib/shared/platform/forms';
import type { Actions } from './$types';

export const actions: Actions = {
	add: async (event) => {
		const parsed = await parseForm(event.request, stageSchema, { form: 'add' });
		if (!parsed.ok) return parsed.failure;
		try {
			await addStage(event.locals.actor, await projectIdBySlug(event.params.slug), parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, { form: 'add' });
		}
		return { saved: true };
	},
	update: async (event) => {
		const data = await event.request.formData();
		const id = String(data.get('id') ?? '');
		const parsed = await parseForm(data, stageSchema, { form: 'update', target: id });
		if (!parsed.ok) return parsed.failure;
		try {
			await updateStage(event.locals.actor, await projectIdBySlug(event.params.slug), id, parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, { form: 'update', target: id });
		}
		return { saved: true };
	},
	delete: async (event) => {
		const values = formValues(await event.request.formData());
		try {
			await deleteStage(
				event.locals.actor,
				await projectIdBySlug(event.params.slug),
				String(values.id ?? '')
			);
		} catch (e) {
			return failForm(e, values, { form: 'delete', target: String(values.id ?? '') });
		}
		return { saved: true };
	}
};
