import { needSchema, shiftSchema } from '$lib/shared/needs/schemas';
import { projectIdBySlug } from '$lib/server/projects';
import { addNeed, updateNeed, deleteNeed, addShift, updateShift, deleteShift } from '$lib/server/needs';
import { formAction } from '$lib/server/platform/route';
import type { FormValues } from '$lib/shared/platform/forms';
import type { Actions } from './$types';

/** Each form of the page is tagged with the item it is about, read from one of its fields. */
const tagBy = (form: string, field: string) => (values: FormValues) => ({
	form,
	target: String(values[field] ?? '')
});
const field = (values: FormValues, name: string) => String(values[name] ?? '');

export const actions: Actions = {
	add: formAction(
		needSchema,
		async (data, { params, locals }) => {
			await addNeed(locals.actor, await projectIdBySlug(params.slug), data);
			return { saved: true };
		},
		tagBy('add', 'kind')
	),
	update: formAction(
		needSchema,
		async (data, { params, locals }, values) => {
			await updateNeed(locals.actor, await projectIdBySlug(params.slug), field(values, 'id'), data);
			return { saved: true };
		},
		tagBy('update', 'id')
	),
	delete: formAction(
		null,
		async (values, { params, locals }) => {
			await deleteNeed(locals.actor, await projectIdBySlug(params.slug), field(values, 'id'));
			return { saved: true };
		},
		tagBy('delete', 'id')
	),
	addShift: formAction(
		shiftSchema,
		async (data, { params, locals }, values) => {
			await addShift(locals.actor, await projectIdBySlug(params.slug), field(values, 'needId'), data);
			return { saved: true };
		},
		tagBy('addShift', 'needId')
	),
	updateShift: formAction(
		shiftSchema,
		async (data, { params, locals }, values) => {
			const projectId = await projectIdBySlug(params.slug);
			await updateShift(locals.actor, projectId, field(values, 'needId'), field(values, 'shiftId'), data);
			return { saved: true };
		},
		tagBy('updateShift', 'shiftId')
	),
	deleteShift: formAction(
		null,
		async (values, { params, locals }) => {
			const projectId = await projectIdBySlug(params.slug);
			await deleteShift(locals.actor, projectId, field(values, 'needId'), field(values, 'shiftId'));
			return { saved: true };
		},
		tagBy('deleteShift', 'shiftId')
	)
};
