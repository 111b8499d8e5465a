import { z } from 'zod';
import { currencies, campaignModels, materialModes } from '../projects/enums';
import { isoDate, moneyAmount, optionalUuid, positiveInt } from '../projects/schemas';

// The needs domain's input schemas: a project's needs (four kinds) and the shifts of a volunteers need.

const needBase = {
	title: z.string().trim().min(1, 'form_error_required').max(120, 'form_error_too_long'),
	description: z.string().trim().max(2000, 'form_error_too_long').default(''),
	stageId: optionalUuid
};

export const moneyNeedSchema = z.object({
	kind: z.literal('money'),
	...needBase,
	goalMinor: moneyAmount,
	currency: z.enum(currencies, 'form_error_invalid'),
	campaignModel: z.enum(campaignModels, 'form_error_invalid'),
	deadline: isoDate.refine((d) => d !== null, 'form_error_required')
});

export const volunteersNeedSchema = z.object({
	kind: z.literal('volunteers'),
	...needBase,
	role: z.string().trim().min(1, 'form_error_required').max(120, 'form_error_too_long'),
	skills: z
		.preprocess(
			(v) => (Array.isArray(v) ? v.join(',') : (v ?? '')),
			z.string().max(500, 'form_error_too_long')
		)
		.transform((s) =>
			[
				...new Set(
					s
						.split(',')
						.map((x) => x.trim())
						.filter(Boolean)
				)
			].slice(0, 20)
		)
});

export const materialNeedSchema = z
	.object({
		kind: z.literal('material'),
		...needBase,
		quantity: positiveInt(1_000_000),
		unit: z.string().trim().max(40, 'form_error_too_long').default(''),
		materialMode: z.enum(materialModes, 'form_error_invalid'),
		returnBy: isoDate,
		dropoff: z.string().trim().max(500, 'form_error_too_long').default('')
	})
	.refine((n) => n.materialMode !== 'lend' || n.returnBy !== null, {
		path: ['returnBy'],
		message: 'needs_error_return_by'
	});

export const expertiseNeedSchema = z.object({
	kind: z.literal('expertise'),
	...needBase,
	skill: z.string().trim().min(1, 'form_error_required').max(120, 'form_error_too_long'),
	hours: positiveInt(10_000)
});

export const needSchema = z.discriminatedUnion('kind', [
	moneyNeedSchema,
	volunteersNeedSchema,
	materialNeedSchema,
	expertiseNeedSchema
]);
export type NeedInput = z.input<typeof needSchema>;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'form_error_time');

export const shiftSchema = z
	.object({
		date: isoDate.refine((d) => d !== null, 'form_error_required'),
		startTime: time,
		endTime: time,
		place: z.string().trim().max(300, 'form_error_too_long').default(''),
		capacity: positiveInt(10_000)
	})
	.refine((s) => s.startTime < s.endTime, { path: ['endTime'], message: 'needs_error_shift_times' });
export type ShiftInput = z.input<typeof shiftSchema>;

/** The need a command is about (from a form's hidden field). */
export const needRefSchema = z.object({ needId: z.uuid('form_error_invalid') });

/** The shift a command is about (from a form's hidden field). */
export const shiftRefSchema = z.object({ shiftId: z.uuid('form_error_invalid') });
