import { z } from 'zod';

// The receipts domain's input schemas.

/** The donor's name and address as the receipt must show them. */
export const donorSchema = z.object({
	donorName: z.string().trim().min(2, 'form_error_required').max(200, 'form_error_too_long'),
	donorAddress: z.string().trim().min(5, 'form_error_required').max(500, 'form_error_too_long')
});

/** The organization that issues a project's receipts, and whether it may (administrators' form). */
export const issuerSchema = z.object({
	name: z.string().trim().min(2, 'form_error_required').max(200, 'form_error_too_long'),
	address: z.string().trim().min(5, 'form_error_required').max(500, 'form_error_too_long'),
	legalStatus: z.string().trim().min(2, 'form_error_required').max(300, 'form_error_too_long'),
	country: z.enum(['FR', 'CA'], 'form_error_invalid'),
	registrationNumber: z.string().trim().max(100, 'form_error_too_long').default(''),
	eligible: z.preprocess((v) => v === 'on' || v === true || v === 'true', z.boolean())
});
export type DonorInput = z.input<typeof donorSchema>;
export type IssuerInput = z.input<typeof issuerSchema>;

/** The gift a single receipt is asked for. */
export const receiptRequestSchema = z.object({ contributionId: z.uuid('form_error_invalid') });

/** The issuer and year a yearly receipt is asked for. */
export const yearlyReceiptRequestSchema = z.object({
	issuerId: z.uuid('form_error_invalid'),
	year: z
		.number('form_error_number')
		.int('form_error_integer')
		.min(1900, 'form_error_invalid')
		.max(9999, 'form_error_invalid')
});

/** The project whose issuer is set. */
export const issuerProjectSchema = z.object({ projectId: z.uuid('form_error_invalid') });
