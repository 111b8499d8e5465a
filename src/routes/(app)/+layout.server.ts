import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

// Signed-in pages. The commands check again: this only sends visitors to the sign-in page.
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.actor) redirect(303, `/signin?returnTo=${encodeURIComponent(url.pathname + url.search)}`);
	return {};
};
