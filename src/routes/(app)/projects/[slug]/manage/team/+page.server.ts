import { canManageTeam, inviteEditor, removeMember, projectIdBySlug } from '$lib/server/projects';
import { db } from '$lib/server/db/client';
import { formAction } from '$lib/server/platform/route';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, locals }) => {
	const { team } = await parent();
	// What the person may do here, decided by the projects' policy (the commands check it again).
	return { can: { removeEditors: await canManageTeam(db(), locals.actor, team.row.id) } };
};

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
