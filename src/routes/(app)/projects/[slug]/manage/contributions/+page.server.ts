import { canHandleMoney, projectIdBySlug } from '$lib/server/projects';
import { db } from '$lib/server/db/client';
import {
	projectContributionsPage,
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
import { formAction, loadOr } from '$lib/server/platform/route';
import type { FormValues } from '$lib/shared/platform/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const filters = contributionFiltersSchema.parse({
		kind: url.searchParams.get('kind') || undefined,
		status: url.searchParams.get('status') || undefined,
		needId: url.searchParams.get('need') || undefined
	});
	const projectId = await loadOr(() => projectIdBySlug(params.slug));
	// One page at a time (the CSV export has every row): a thousand contributions are not rendered at once.
	const [list, confirmOffline] = await Promise.all([
		loadOr(() =>
			projectContributionsPage(locals.actor, projectId, filters, {
				page: Number(url.searchParams.get('page'))
			})
		),
		canHandleMoney(db(), locals.actor, projectId)
	]);
	// What the person may do here, decided by the domain's policy (the page shows, the commands check).
	return {
		rows: list.rows,
		total: list.total,
		page: list.page,
		pageSize: list.pageSize,
		filters,
		statuses: contributionStatuses,
		can: { confirmOffline }
	};
};

/** The row actions: which contribution, and where it goes. */
const rowSchema = teamRowFormSchema;

/** A failure is tagged with the row, so the page shows it next to that row. */
const rowTag = (values: FormValues) => ({ form: 'row', target: String(values.id ?? '') });

export const actions: Actions = {
	attendance: formAction(
		attendanceFormSchema,
		async (d, { locals }) => {
			await markAttendance(locals.actor, d.id, d.to === 'attended');
			return { updated: d.id };
		},
		rowTag
	),
	material: formAction(
		materialFormSchema,
		async (d, { locals }) => {
			await markMaterial(locals.actor, d.id, d.to);
			return { updated: d.id };
		},
		rowTag
	),
	expertise: formAction(
		expertiseFormSchema,
		async (d, { locals }) => {
			await decideExpertise(locals.actor, d.id, d.to);
			return { updated: d.id };
		},
		rowTag
	),
	offline: formAction(
		rowSchema,
		async (d, { locals }) => {
			await markOfflineReceived(locals.actor, d.id);
			return { updated: d.id };
		},
		rowTag
	),
	thank: formAction(
		thankSchema,
		async (data, { params, locals }) => ({
			thanked: await thankContributors(locals.actor, await projectIdBySlug(params.slug), data.message)
		}),
		{ form: 'thank' }
	)
};
