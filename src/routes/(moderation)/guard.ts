import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import type { Actor } from '$lib/server/accounts';

/**
 * The moderation area's gate for loads and actions: visitors go to the sign-in page; signed-in people
 * who moderate no territory (and are not administrators) get a 403. The territory of each project is
 * checked again by the page and by the commands (requireModerator).
 */
export function moderatorOnly(event: { locals: App.Locals; url: URL }): Actor {
	const { actor } = event.locals;
	if (!actor) {
		// A form post (`?/name`) comes back to the page itself, not to the action.
		const search = event.url.search.startsWith('?/') ? '' : event.url.search;
		redirect(303, `/signin?returnTo=${encodeURIComponent(event.url.pathname + search)}`);
	}
	if (!actor.isAdmin && actor.moderatorOf.length === 0) error(403, t('error_forbidden'));
	return actor;
}
