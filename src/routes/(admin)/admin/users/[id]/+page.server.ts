import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { getUserForAdmin, grantModerator, revokeModerator, setAdministrator } from '$lib/server/accounts';
import { listTerritories } from '$lib/server/territories';
import { formAction } from '$lib/server/platform/route';
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
	admin: formAction(
		adminRoleSchema,
		async ({ value }, event) => {
			const { actor, userId } = subject(event);
			await setAdministrator(actor, userId, value, requestContext(event));
			// Someone who gave up their own role can no longer see this area.
			if (!value && userId === actor.id) redirect(303, '/me');
			return { done: value ? 'admin_granted' : 'admin_revoked' };
		},
		{ guard: subject }
	),
	grant: formAction(
		territoryChoiceSchema,
		async ({ territoryId }, event) => {
			const { actor, userId } = subject(event);
			await grantModerator(actor, userId, territoryId, requestContext(event));
			return { done: 'moderator_granted' };
		},
		{ guard: subject }
	),
	revoke: formAction(
		territoryChoiceSchema,
		async ({ territoryId }, event) => {
			const { actor, userId } = subject(event);
			await revokeModerator(actor, userId, territoryId, requestContext(event));
			return { done: 'moderator_revoked' };
		},
		{ guard: subject }
	)
};
