import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { projectIdBySlug } from '$lib/server/projects';
import {
	projectContributions,
	contributionFiltersSchema,
	contributionStatuses,
	thankContributors,
	thankSchema,
	markAttendance,
	markMaterial,
	decideExpertise
} from '$lib/server/contributions';
import { markOfflineReceived } from '$lib/server/payments';
import {
	teamRowFormSchema,
	attendanceFormSchema,
	materialFormSchema,
	expertiseFormSchema
} from '$lib/shared/contributions/schemas';
import { AppError } from '$lib/server/platform/errors';
import { parseForm, failForm, type FormTag } from '$lib/server/platform/forms';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const filters = contributionFiltersSchema.parse({
		kind: url.searchParams.get('kind') || undefined,
		status: url.searchParams.get('status') || undefined,
		needId: url.searchParams.get('need') || undefined
	});
	try {
		const rows = await projectContributions(locals.actor, await projectIdBySlug(params.slug), filters);
		return { rows, filters, statuses: contributionStatuses };
	} catch (e) {
		if (e instanceof AppError) error(e.status, t(e.messageKey));
		throw e;
	}
};

/** The row actions: which contribution, and where it goes. */
const rowSchema = teamRowFormSchema;

/** Runs one row action; a failure is tagged with the row, so the page shows it next to that row. */
async function rowAction<S extends typeof rowSchema>(
	event: RequestEvent,
	schema: S,
	run: (data: z.output<S>) => Promise<void>
) {
	const data = await event.request.formData();
	const tag: FormTag = { form: 'row', target: String(data.get('id') ?? '') };
	const parsed = await parseForm(data, schema, tag);
	if (!parsed.ok) return parsed.failure;
	try {
		await run(parsed.data);
	} catch (e) {
		return failForm(e, parsed.values, tag);
	}
	return { updated: parsed.data.id };
}

export const actions: Actions = {
	attendance: (event) =>
		rowAction(event, attendanceFormSchema, (d) =>
			markAttendance(event.locals.actor, d.id, d.to === 'attended')
		),
	material: (event) =>
		rowAction(event, materialFormSchema, (d) => markMaterial(event.locals.actor, d.id, d.to)),
	expertise: (event) =>
		rowAction(event, expertiseFormSchema, (d) => decideExpertise(event.locals.actor, d.id, d.to)),
	offline: (event) => rowAction(event, rowSchema, (d) => markOfflineReceived(event.locals.actor, d.id)),
	thank: async (event) => {
		const data = await event.request.formData();
		const tag: FormTag = { form: 'thank' };
		const parsed = await parseForm(data, thankSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			const count = await thankContributors(
				event.locals.actor,
				await projectIdBySlug(event.params.slug),
				parsed.data.message
			);
			return { thanked: count };
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
	}
};
