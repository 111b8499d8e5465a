import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { refundSchema } from '$lib/shared/contributions/money';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { requireAdmin, type Actor } from '../../accounts';
import { contributions } from '../../contributions/schema';
import { lockContribution, setGiftStatus } from '../../contributions';
import { debitRefund, giftPosition } from '../postings';
import { requestStripeRefund } from '../stripe/refunds';
import { mailDonors } from '../mails';

const targetSchema = z.object({
	contributionId: z.uuid('error_not_found'),
	idempotencyKey: z.string().trim().min(1, 'form_error_invalid').max(200, 'form_error_invalid')
});

/**
 * An administrator refunds a gift fully or partly. A Stripe gift is refunded through Stripe's Refunds
 * API: it is `pending` until Stripe confirms, and only then enters the ledger and is the donor told.
 * Gifts by the test or offline methods have no provider to ask (offline money is handed back by the
 * treasurer): the ledger records the reversal at once. The contribution row is locked, so concurrent
 * refunds are serialized and the total refunded can never exceed the gift.
 */
export async function refundDonation(
	actor: Actor | null,
	contributionId: string,
	input: { amountMinor: string | number; reason?: string },
	idempotencyKey: string
): Promise<{ refunded: boolean; pending: boolean }> {
	const admin = requireAdmin(actor);
	const data = parseInput(refundSchema, input);
	const target = parseInput(targetSchema, { contributionId, idempotencyKey });
	const [gift] = await db()
		.select({ method: contributions.paymentMethod })
		.from(contributions)
		.where(eq(contributions.id, target.contributionId));
	if (gift?.method === 'stripe')
		return requestStripeRefund(
			admin.id,
			target.contributionId,
			data.amountMinor,
			data.reason,
			target.idempotencyKey
		);
	const outcome = await db().transaction(async (tx) => {
		const c = await lockContribution(tx, target.contributionId);
		if (!c || c.kind !== 'money') throw new AppError('not_found', 'error_not_found');
		if (c.status !== 'succeeded' && c.status !== 'refunded')
			throw new AppError('conflict', 'payments_error_not_refundable');
		const pos = await giftPosition(tx, c.id);
		if (data.amountMinor > pos.credited - pos.refunded)
			throw fieldError('amountMinor', 'payments_error_refund_too_much');
		const debit = await debitRefund(
			tx,
			c,
			data.amountMinor,
			`refund:${c.id}:${target.idempotencyKey}`,
			data.reason
		);
		if (!debit.group) return { refunded: false };
		if (debit.fullyRefunded) await setGiftStatus(tx, c.id, 'refunded');
		await audit(tx, {
			actorId: admin.id,
			action: 'payments.refunded',
			targetType: 'contribution',
			targetId: c.id,
			data: { amountMinor: data.amountMinor }
		});
		return { refunded: true };
	});
	// The donor is told, in their language, once the refund is recorded.
	if (outcome.refunded)
		await mailDonors([target.contributionId], 'refunded', { amountMinor: data.amountMinor });
	return { ...outcome, pending: false };
}
