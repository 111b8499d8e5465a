import { inviteEditor, removeMember, projectIdBySlug } from '$lib/server/projects';
import { formAction } from '$lib/server/platform/route';
import type { Actions } from './$types';

export const actions: Actions = {
	invite: formAction(
		null,
		async (values, { params, locals }) => {
			await inviteEditor(locals.actor, await projectIdBySlug(params.slug), String(values.email ?? ''));
			return { invited: String(values.email) };
		},
		{ form: 'invite' }
	),
	remove: formAction(
		null,
		async (values, { params, locals }) => {
			await removeMember(locals.actor, await projectIdBySlug(params.slug), String(values.userId ?? ''));
			return { removed: true };
		},
		{ form: 'remove' }
	)
};
