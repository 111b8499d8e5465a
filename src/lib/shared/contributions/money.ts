import { z } from 'zod';
import { moneyAmount, parseMajorUnits } from '../projects/schemas';

export const paymentMethods = ['test', 'offline', 'stripe'] as const;
export type PaymentMethodId = (typeof paymentMethods)[number];

/** The tip suggestions, as a percentage of the gift (the person may set it to zero). */
export const TIP_PERCENTS = [0, 5, 10, 15] as const;

export const donateSchema = z.object({
	amountMinor: moneyAmount,
	tipMinor: z.preprocess(
		(v) => {
			if (v === '' || v === undefined || v === null) return 0;
			if (typeof v === 'number') return v;
			return parseMajorUnits(String(v));
		},
		z.number('form_error_amount').int().min(0, 'form_error_amount').max(1_000_000_00, 'form_error_too_big')
	),
	anonymous: z.preprocess((v) => v === 'on' || v === true || v === 'true', z.boolean()),
	message: z.string().trim().max(1000, 'form_error_too_long').default(''),
	method: z.enum(paymentMethods, 'contributions_error_method'),
	idempotencyKey: z.string().min(8).max(100)
});
export type DonateInput = z.input<typeof donateSchema>;

export const refundSchema = z.object({
	amountMinor: moneyAmount,
	reason: z.string().trim().max(500).default('')
});
