import { z } from 'zod';
import { materialModes } from '../projects/enums';
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
