import { redirect } from '@sveltejs/kit';
import { acceptInvitation } from '$lib/server/projects';
import { AppError } from '$lib/server/platform/errors';
import type { Actions } from './$types';

// Following the link shows a button: joining a team is a deliberate act (and link scanners must not do it).
export const actions: Actions = {
	default: async ({ locals, params }) => {
		let slug: string;
		try {
			slug = await acceptInvitation(locals.actor, params.token);
		} catch (e) {
			if (e instanceof AppError) return { failed: true };
			throw e;
		}
		redirect(303, `/projects/${slug}/manage`);
	}
};
