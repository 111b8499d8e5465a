import { fail } from '@sveltejs/kit';
import { projectSchema } from '$lib/shared/projects/schemas';
import { t } from '$lib/i18n';
import {
	updateProject,
	setCover,
	projectIdBySlug,
	setOfflineInstructions,
	offlineInstructionsSchema
} from '$lib/server/projects';
import { listTerritories, listThemes } from '$lib/server/territories';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { formValues } from '$lib/shared/platform/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const [territories, themes] = await Promise.all([listTerritories(), listThemes()]);
	return { territories, themes };
};

export const actions: Actions = {
	offline: async (event) => {
		const parsed = await parseForm(event.request, offlineInstructionsSchema, { form: 'offline' });
		if (!parsed.ok) return parsed.failure;
		try {
			await setOfflineInstructions(event.locals.actor, await projectIdBySlug(event.params.slug), parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, { form: 'offline' });
		}
		return { saved: 'offline' };
	},
	update: async (event) => {
		const parsed = await parseForm(event.request, projectSchema, { form: 'update' });
		if (!parsed.ok) return parsed.failure;
		try {
			await updateProject(event.locals.actor, await projectIdBySlug(event.params.slug), parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, { form: 'update' });
		}
		return { saved: 'update' };
	},
	cover: async (event) => {
		let data: FormData;
		try {
			data = await event.request.formData();
		} catch (e) {
			// Above BODY_SIZE_LIMIT the server refuses to read the body: say so beside the field.
			const err = e as { status?: number; cause?: { status?: number } };
			if ((err.status ?? err.cause?.status) !== 413) throw e;
			return fail(413, {
				values: {},
				errors: { cover: t('projects_error_cover_size') },
				message: t('form_error_summary'),
				form: 'cover'
			});
		}
		const file = data.get('cover');
		const values = formValues(data);
		try {
			await setCover(
				event.locals.actor,
				await projectIdBySlug(event.params.slug),
				file instanceof File ? file : (null as never),
				String(values.coverAlt ?? '')
			);
		} catch (e) {
			return failForm(e, values, { form: 'cover' });
		}
		return { saved: 'cover' };
	}
};
