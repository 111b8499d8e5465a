import { profileSchema } from '$lib/shared/accounts/schemas';
import { getMyProfile, updateProfile } from '$lib/server/accounts';
import { listTerritories, listThemes } from '$lib/server/territories';
import { formAction } from '$lib/server/platform/route';
import { setLocaleCookie } from '$lib/server/platform/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const [profile, territories, themes] = await Promise.all([
		getMyProfile(locals.actor),
		listTerritories(),
		listThemes()
	]);
	// The two lists only fill selects: the browser gets what they show, not the whole rows.
	return {
		profile,
		territories: territories.map((t) => ({ id: t.id, depth: t.depth, nameFr: t.nameFr, nameEn: t.nameEn })),
		themes: themes.map((t) => ({ id: t.id, nameFr: t.nameFr, nameEn: t.nameEn }))
	};
};

export const actions: Actions = {
	default: formAction(profileSchema, async (data, event) => {
		await updateProfile(event.locals.actor, data);
		setLocaleCookie(event.cookies, data.locale, event.url);
		return { saved: true };
	})
};
