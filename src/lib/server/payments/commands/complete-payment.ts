import { z } from 'zod';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { lockContribution, setGiftStatus } from '../../contributions';
import { creditGift } from '../postings';
import { campaignOf, takesGifts } from '../campaign';
import { mailDonors } from '../mails';

const paymentEventSchema = z.object({
	contributionId: z.uuid('form_error_invalid'),
	providerEvent: z.string().min(1, 'form_error_required').max(2000, 'form_error_too_long'),
	outcome: z.enum(['succeeded', 'failed'], 'form_error_invalid'),
	amountMinor: z.number('form_error_invalid').int('form_error_invalid').nonnegative('form_error_invalid'),
	currency: z.string().length(3, 'form_error_invalid'),
	feeMinor: z
		.number('form_error_invalid')
		.int('form_error_invalid')
		.nonnegative('form_error_invalid')
		.optional()
});

export type PaymentEvent = z.input<typeof paymentEventSchema>;

/** What became of a provider's verdict: `late` means the campaign had closed, and nothing was taken. */
export type PaymentResult = 'credited' | 'pledged' | 'failed' | 'duplicate' | 'late';

/**
 * Applies a payment provider's verdict to a pending gift, idempotently and in any order of delivery:
 * keep-it-all gifts are credited to the ledger at once; all-or-nothing gifts become pledges, charged at
 * the deadline only if the goal is met. An amount or currency that differs from the gift is refused.
 * A success for a campaign that no longer takes gifts (closed, past its deadline, project cancelled) is
 * `late`: the gift is cancelled, audited and its donor told; the caller gives the money back to the
 * provider (refund or release).
 */
export async function completePayment(input: PaymentEvent): Promise<PaymentResult> {
	const event = parseInput(paymentEventSchema, input);
	const result = await applyPayment(event);
	if (result === 'mismatch') {
		// Audited outside the payment's transaction, so the record survives the refusal.
		await audit(db(), {
			action: 'payments.mismatch_refused',
			targetType: 'contribution',
			targetId: event.contributionId,
			data: { ...event }
		});
		console.warn(
			`[payments] refused event ${event.providerEvent}: amount/currency differ from contribution ${event.contributionId}`
		);
		throw new AppError('validation', 'payments_error_mismatch');
	}
	// The donor's mail, in their language, once the gift is recorded (or turned away as late).
	if (result === 'credited' || result === 'pledged') await mailDonors([event.contributionId], result);
	// Turned away: the donor hears what they paid (gift and tip) is coming back.
	if (result === 'late') await mailDonors([event.contributionId], 'late', { amountMinor: event.amountMinor });
	return result;
}

function applyPayment(event: z.output<typeof paymentEventSchema>): Promise<PaymentResult | 'mismatch'> {
	return db().transaction(async (tx) => {
		const c = await lockContribution(tx, event.contributionId);
		if (!c || c.kind !== 'money') throw new AppError('not_found', 'error_not_found');
		if (
			event.amountMinor !== c.amountMinor! + (c.tipMinor ?? 0) ||
			event.currency.toUpperCase() !== c.currency
		) {
			return 'mismatch' as const;
		}
		if (c.status !== 'pending') return 'duplicate';
		if (event.outcome === 'failed') {
			await setGiftStatus(tx, c.id, 'failed', { paymentRef: event.providerEvent });
			return 'failed';
		}
		const { need, project } = await campaignOf(tx, c.needId);
		if (!takesGifts(need, project)) {
			// Never left hanging: cancelled here, the money goes back through the provider.
			await setGiftStatus(tx, c.id, 'cancelled', { paymentRef: event.providerEvent });
			await audit(tx, {
				action: 'payments.late_payment',
				targetType: 'contribution',
				targetId: c.id,
				data: {
					providerEvent: event.providerEvent,
					amountMinor: event.amountMinor,
					currency: c.currency,
					projectStatus: project.status,
					needClosed: Boolean(need.closedAt)
				}
			});
			return 'late';
		}
		if (need.campaignModel === 'all_or_nothing') {
			await setGiftStatus(tx, c.id, 'pledged', { paymentRef: event.providerEvent });
			return 'pledged';
		}
		const group = await creditGift(tx, c, event.providerEvent, event.feeMinor ?? 0);
		await setGiftStatus(tx, c.id, 'succeeded', { paymentRef: event.providerEvent });
		return group ? 'credited' : 'duplicate';
	});
}
