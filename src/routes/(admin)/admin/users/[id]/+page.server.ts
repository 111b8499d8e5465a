import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { getUserForAdmin, grantModerator, revokeModerator, setAdministrator } from '$lib/server/accounts';
import { listTerritories } from '$lib/server/territories';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { adminOnly } from '../../../guard';
import { adminRoleSchema, isUuid, territoryChoiceSchema } from '../../schemas';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The administrator and the person the page is about (404 for a malformed id). */
function subject(event: RequestEvent) {
	const actor = adminOnly(event);
	if (!isUuid(event.params.id)) error(404, t('error_not_found'));
	return { actor, userId: event.params.id };
}

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	if (!isUuid(event.params.id)) error(404, t('error_not_found'));
	const [person, territories] = await Promise.all([
		getUserForAdmin(actor, event.params.id),
		listTerritories({ includeArchived: true })
	]);
	if (!person) error(404, t('error_not_found'));
	return { person, territories, isSelf: person.id === actor.id };
};

export const actions: Actions = {
	admin: async (event) => {
		const { actor, userId } = subject(event);
		const parsed = await parseForm(event.request, adminRoleSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await setAdministrator(actor, userId, parsed.data.value, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		// Someone who gave up their own role can no longer see this area.
		if (!parsed.data.value && userId === actor.id) redirect(303, '/me');
		return { done: parsed.data.value ? 'admin_granted' : 'admin_revoked' };
	},
	grant: async (event) => {
		const { actor, userId } = subject(event);
		const parsed = await parseForm(event.request, territoryChoiceSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await grantModerator(actor, userId, parsed.data.territoryId, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { done: 'moderator_granted' };
	},
	revoke: async (event) => {
		const { actor, userId } = subject(event);
		const parsed = await parseForm(event.request, territoryChoiceSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await revokeModerator(actor, userId, parsed.data.territoryId, requestContext(event));
		} catch (e) {
			return failForm(e, parsed.values);
		}
		return { done: 'moderator_revoked' };
	}
};
