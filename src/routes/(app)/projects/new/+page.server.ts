import { redirect } from '@sveltejs/kit';
import { projectSchema } from '$lib/shared/projects/schemas';
import { createProject } from '$lib/server/projects';
import { listTerritories, listThemes } from '$lib/server/territories';
import { parseForm, failForm } from '$lib/server/platform/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const [territories, themes] = await Promise.all([listTerritories(), listThemes()]);
	return { territories, themes };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event.request, projectSchema);
		if (!parsed.ok) return parsed.failure;
		let slug: string;
		try {
			slug = (await createProject(event.locals.actor, parsed.data)).slug;
		} catch (e) {
			return failForm(e, parsed.values);
		}
		redirect(303, `/projects/${slug}/manage?created=1`);
	}
};
