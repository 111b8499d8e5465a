import { z } from 'zod';
import { materialModes, needKinds } from '../projects/enums';
import { contributionStatuses } from './enums';
import { isoDate } from '../platform/forms';

const count = (max: number) =>
	z.preprocess(
		(v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
		z
			.number('form_error_number')
			.int('form_error_integer')
			.min(1, 'form_error_positive')
			.max(max, 'form_error_too_big')
	);

export const pledgeMaterialSchema = z
	.object({
		quantity: count(1_000_000),
		materialMode: z.enum(materialModes, 'form_error_invalid'),
		returnBy: isoDate,
		message: z.string().trim().max(1000, 'form_error_too_long').default('')
	})
	.refine((p) => p.materialMode !== 'lend' || p.returnBy !== null, {
		path: ['returnBy'],
		message: 'needs_error_return_by'
	});
export type PledgeMaterialInput = z.input<typeof pledgeMaterialSchema>;

export const offerExpertiseSchema = z.object({
	hours: count(1000),
	message: z.string().trim().max(1000, 'form_error_too_long').default('')
});
export type OfferExpertiseInput = z.input<typeof offerExpertiseSchema>;

const id = z.uuid('form_error_invalid');

/** The contribution a command is about (from a form's hidden field). */
export const contributionRefSchema = z.object({ contributionId: id });

/** A volunteer signs up for a shift, with an optional word to the team. */
export const signUpForShiftSchema = z.object({
	shiftId: id,
	message: z.string('form_error_invalid').max(1000, 'form_error_too_long').default('')
});

/** The team marks a volunteer attended or absent. */
export const markAttendanceSchema = z.object({
	contributionId: id,
	attended: z.boolean('form_error_invalid')
});

/** The team confirms it received pledged items, or gave lent ones back. */
export const markMaterialSchema = z.object({
	contributionId: id,
	to: z.enum(['received', 'returned'], 'form_error_invalid')
});

/** The team accepts or declines an offer of expertise, or marks accepted hours delivered. */
export const decideExpertiseSchema = z.object({
	contributionId: id,
	to: z.enum(['accepted', 'declined', 'delivered'], 'form_error_invalid')
});

/** The filters of the team's list; a value that is not one of the choices is ignored. */
export const contributionFiltersSchema = z.object({
	kind: z.enum(needKinds).optional().catch(undefined),
	status: z.enum(contributionStatuses).optional().catch(undefined),
	needId: z.uuid().optional().catch(undefined)
});
export type ContributionFilters = z.input<typeof contributionFiltersSchema>;

/** What the team writes to thank everyone who contributed. */
export const thankSchema = z.object({
	message: z
		.string('form_error_required')
		.trim()
		.min(1, 'form_error_required')
		.max(2000, 'form_error_too_long')
});

/** The team's row actions on /projects/[slug]/manage/contributions: which contribution, where it goes. */
export const teamRowFormSchema = z.object({ id });
export const attendanceFormSchema = teamRowFormSchema.extend({
	to: z.enum(['attended', 'absent'], 'form_error_invalid')
});
export const materialFormSchema = teamRowFormSchema.extend({
	to: z.enum(['received', 'returned'], 'form_error_invalid')
});
export const expertiseFormSchema = teamRowFormSchema.extend({
	to: z.enum(['accepted', 'declined', 'delivered'], 'form_error_invalid')
});
