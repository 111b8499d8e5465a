import { redirect } from '@sveltejs/kit';
import { projectSchema } from '$lib/shared/projects/schemas';
import { createProject } from '$lib/server/projects';
import { listTerritories, listThemes } from '$lib/server/territories';
import { formAction } from '$lib/server/platform/route';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const [territories, themes] = await Promise.all([listTerritories(), listThemes()]);
	return { territories, themes };
};

export const actions: Actions = {
	default: formAction(projectSchema, async (data, { locals }) => {
		const { slug } = await createProject(locals.actor, data);
		redirect(303, `/projects/${slug}/manage?created=1`);
	})
};
