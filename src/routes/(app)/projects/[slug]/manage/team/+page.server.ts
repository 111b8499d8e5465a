import { inviteEditor, removeMember, projectIdBySlug } from '$lib/server/projects';
import { failForm } from '$lib/server/platform/forms';
import { formValues } from '$lib/shared/platform/forms';
import type { Actions } from './$types';

export const actions: Actions = {
	invite: async (event) => {
		const values = formValues(await event.request.formData());
		try {
			await inviteEditor(
				event.locals.actor,
				await projectIdBySlug(event.params.slug),
				String(values.email ?? '')
			);
		} catch (e) {
			return failForm(e, values, { form: 'invite' });
		}
		return { invited: String(values.email) };
	},
	remove: async (event) => {
		const values = formValues(await event.request.formData());
		try {
			await removeMember(
				event.locals.actor,
				await projectIdBySlug(event.params.slug),
				String(values.userId ?? '')
			);
		} catch (e) {
			return failForm(e, values, { form: 'remove' });
		}
		return { removed: true };
	}
};
