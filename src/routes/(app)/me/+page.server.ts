import { profileSchema } from '$lib/shared/accounts/schemas';
import { getMyProfile, updateProfile } from '$lib/server/accounts';
import { listTerritories, listThemes } from '$lib/server/territories';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { setLocaleCookie } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const [profile, territories, themes] = await Promise.all([
		getMyProfile(locals.actor),
		listTerritories(),
		listThemes()
	]);
	return { profile, territories, themes };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event.request, profileSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateProfile(event.locals.actor, parsed.data);
		} catch (e) {
			return failForm(e, parsed.values);
		}
		setLocaleCookie(event.cookies, parsed.data.locale, event.url);
		return { saved: true };
	}
};
