import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import type { Actor } from '$lib/server/accounts';

/**
 * The administration area's gate for loads and actions: visitors go to the sign-in page, signed-in
 * non-administrators get a 403. Every command checks the role again (requireAdmin).
 */
export function adminOnly(event: { locals: App.Locals; url: URL }): Actor {
	const { actor } = event.locals;
	if (!actor) {
		// A form post (`?/grant`) comes back to the page itself, not to the action.
		const search = event.url.search.startsWith('?/') ? '' : event.url.search;
		redirect(303, `/signin?returnTo=${encodeURIComponent(event.url.pathname + search)}`);
	}
	if (!actor.isAdmin) error(403, t('error_forbidden'));
	return actor;
}
