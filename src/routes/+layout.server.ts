import type { LayoutServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime.js';

export const load: LayoutServerLoad = ({ locals, url }) => {
	const a = locals.actor;
	return {
		locale: getLocale(),
		formatLocale: locals.formatLocale,
		returnTo: url.pathname + url.search,
		user: a
			? { id: a.id, displayName: a.displayName, isAdmin: a.isAdmin, isModerator: a.moderatorOf.length > 0 }
			: null
	};
};
