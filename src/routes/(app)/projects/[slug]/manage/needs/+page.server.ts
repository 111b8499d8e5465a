import { needSchema, shiftSchema } from '$lib/shared/needs/schemas';
import { projectIdBySlug } from '$lib/server/projects';
import { addNeed, updateNeed, deleteNeed, addShift, updateShift, deleteShift } from '$lib/server/needs';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { formValues } from '$lib/shared/platform/forms';
import type { Actions } from './$types';

export const actions: Actions = {
	add: async (event) => {
		const data = await event.request.formData();
		const tag = { form: 'add', target: String(data.get('kind') ?? '') };
		const parsed = await parseForm(data, needSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await addNeed(event.locals.actor, await projectIdBySlug(event.params.slug), parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
		return { saved: true };
	},
	update: async (event) => {
		const data = await event.request.formData();
		const id = String(data.get('id') ?? '');
		const tag = { form: 'update', target: id };
		const parsed = await parseForm(data, needSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateNeed(event.locals.actor, await projectIdBySlug(event.params.slug), id, parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
		return { saved: true };
	},
	delete: async (event) => {
		const values = formValues(await event.request.formData());
		const tag = { form: 'delete', target: String(values.id ?? '') };
		try {
			await deleteNeed(event.locals.actor, await projectIdBySlug(event.params.slug), String(values.id ?? ''));
		} catch (e) {
			return failForm(e, values, tag);
		}
		return { saved: true };
	},
	addShift: async (event) => {
		const data = await event.request.formData();
		const needId = String(data.get('needId') ?? '');
		const tag = { form: 'addShift', target: needId };
		const parsed = await parseForm(data, shiftSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await addShift(event.locals.actor, await projectIdBySlug(event.params.slug), needId, parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
		return { saved: true };
	},
	updateShift: async (event) => {
		const data = await event.request.formData();
		const needId = String(data.get('needId') ?? '');
		const shiftId = String(data.get('shiftId') ?? '');
		const tag = { form: 'updateShift', target: shiftId };
		const parsed = await parseForm(data, shiftSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateShift(
				event.locals.actor,
				await projectIdBySlug(event.params.slug),
				needId,
				shiftId,
				parsed.data
			);
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
		return { saved: true };
	},
	deleteShift: async (event) => {
		const values = formValues(await event.request.formData());
		const tag = { form: 'deleteShift', target: String(values.shiftId ?? '') };
		try {
			await deleteShift(
				event.locals.actor,
				await projectIdBySlug(event.params.slug),
				String(values.needId ?? ''),
				String(values.shiftId ?? '')
			);
		} catch (e) {
			return failForm(e, values, tag);
		}
		return { saved: true };
	}
};
