import { z } from 'zod';
import { parseMajorUnits } from './amounts';
import { isoDate, stringList } from '../platform/forms';
import { legalForms, needKinds, projectSorts, projectStatuses } from './enums';

const blankToNull = (v: unknown) =>
	v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v;
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A YYYY-MM-DD calendar date (blank → null); defined once in shared/platform/forms. */
export { isoDate };

const coordinate = (min: number, max: number) =>
	z.preprocess(
		(v) =>
			v === '' || v === undefined || v === null
				? null
				: typeof v === 'string'
					? Number(v.replace(',', '.'))
					: v,
		z.number('form_error_number').min(min, 'form_error_invalid').max(max, 'form_error_invalid').nullable()
	);

/** A whole number from 1 to `max` (typed or given). */
export const positiveInt = (max: number) =>
	z.preprocess(
		(v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
		z
			.number('form_error_number')
			.int('form_error_integer')
			.min(1, 'form_error_positive')
			.max(max, 'form_error_too_big')
	);

/** An optional id (blank → null). */
export const optionalUuid = z.preprocess(blankToNull, z.uuid('form_error_invalid').nullable());

export const projectSchema = z
	.object({
		title: z.string().trim().min(3, 'form_error_required').max(120, 'form_error_too_long'),
		summary: z.string().trim().max(280, 'projects_error_summary_long').default(''),
		description: z.string().max(20000, 'form_error_too_long').default(''),
		territoryId: z.uuid('projects_error_territory'),
		address: z.string().trim().max(300, 'form_error_too_long').default(''),
		lat: coordinate(-90, 90),
		lng: coordinate(-180, 180),
		themes: stringList.pipe(z.array(z.uuid('form_error_invalid')).max(5, 'projects_error_themes_max')),
		legalForm: z.preprocess(blankToNull, z.enum(legalForms, 'form_error_invalid').nullable()),
		carrierName: z.string().trim().max(200, 'form_error_too_long').default(''),
		startsOn: isoDate,
		endsOn: isoDate,
		coverAlt: z.string().trim().max(300, 'form_error_too_long').default('')
	})
	.refine((p) => (p.lat === null) === (p.lng === null), { path: ['lng'], message: 'projects_error_point' })
	.refine((p) => !p.startsOn || !p.endsOn || p.startsOn <= p.endsOn, {
		path: ['endsOn'],
		message: 'projects_error_dates'
	});
export type ProjectInput = z.input<typeof projectSchema>;

export const stageSchema = z
	.object({
		name: z.string().trim().min(1, 'form_error_required').max(120, 'form_error_too_long'),
		description: z.string().trim().max(2000, 'form_error_too_long').default(''),
		startsOn: isoDate,
		endsOn: isoDate
	})
	.refine((s) => !s.startsOn || !s.endsOn || s.startsOn <= s.endsOn, {
		path: ['endsOn'],
		message: 'projects_error_dates'
	});
export type StageInput = z.input<typeof stageSchema>;

// In a module of its own so the browser can use it without zod (the gift form's live total).
export { parseMajorUnits };

/** An amount typed in major units ("1 250,50") → integer minor units. */
export const moneyAmount = z.preprocess(
	(v) => {
		// A number is already in minor units (a value parsed before): parsing twice gives the same result.
		if (typeof v === 'number') return v;
		if (typeof v !== 'string' || v.trim() === '') return undefined;
		return parseMajorUnits(v);
	},
	z
		.number('form_error_amount')
		.int()
		.min(100, 'needs_error_goal_min')
		.max(100_000_000_00, 'form_error_too_big')
);

/**
 * A listing counts and pages through its first LISTED_MAX matches, never more: the count stops there
 * ("more than 500 projects") and so do the pages (`maxPage`: 25 at 20 a page). What costs a request is
 * then bounded by this number, not by the number of projects; 500 rather than 1,000 keeps a search for a
 * common word as cheap at 100,000 projects as at 1,000 (docs/performance/queries.md).
 */
export const LISTED_MAX = 500;

/** The last page a listing can show with `perPage` projects a page. */
export function maxPage(perPage: number): number {
	return Math.ceil(LISTED_MAX / perPage);
}

/** Filters of /projects and GET /api/v1/projects (all from the URL). */
export const projectFiltersSchema = z
	.object({
		q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
		territory: z.preprocess(blankToUndefined, z.string().max(80).optional()),
		theme: z.preprocess(blankToUndefined, z.string().max(80).optional()),
		need: z.preprocess(blankToUndefined, z.enum(needKinds).optional()),
		status: z.preprocess(blankToUndefined, z.enum(projectStatuses).optional()),
		near: z.preprocess(
			blankToUndefined,
			z
				.string()
				.regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/)
				.transform((s) => s.split(',').map(Number) as [number, number])
				.refine(([lat, lng]) => Math.abs(lat) <= 90 && Math.abs(lng) <= 180)
				.optional()
		),
		radius_km: z.preprocess(blankToUndefined, z.coerce.number().positive().max(20000).optional()),
		sort: z.preprocess(blankToUndefined, z.enum(projectSorts).optional()),
		page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(LISTED_MAX).default(1)),
		per_page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(20))
	})
	// Past the listed matches there is nothing to show: a page beyond them is out of range.
	.refine((f) => f.page <= maxPage(f.per_page), { path: ['page'], message: 'form_error_too_big' });
export type ProjectFilters = z.output<typeof projectFiltersSchema>;

/** How donors pay by transfer, cheque or cash: IBAN, payee, address (the team's form). */
export const offlineInstructionsSchema = z.object({
	offlineInstructions: z.string().trim().max(1000, 'form_error_too_long').default('')
});

/** Why a project is cancelled (required: its contributors are told). */
export const cancelProjectSchema = z.object({
	reason: z
		.string('form_error_required')
		.trim()
		.min(1, 'form_error_required')
		.max(2000, 'form_error_too_long')
});

/** The account of what was done, when the team marks a project completed. */
export const completeProjectSchema = z.object({
	account: z.string('form_error_invalid').trim().max(2000, 'form_error_too_long').default('')
});

/** The address an editor is invited at. */
export const inviteEditorSchema = z.object({
	email: z.string('form_error_email').trim().toLowerCase().pipe(z.email('form_error_email'))
});

/** The team member a command is about (from a form's hidden field). */
export const memberRefSchema = z.object({ userId: z.uuid('form_error_invalid') });

/** The stage a command is about (from a form's hidden field). */
export const stageRefSchema = z.object({ stageId: z.uuid('form_error_invalid') });
