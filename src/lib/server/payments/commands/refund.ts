import { eq, sql } from 'drizzle-orm';
import { refundSchema } from '$lib/shared/contributions/money';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { requireAdmin, type Actor } from '../../accounts';
import { postGroup } from '../../ledger';
import { contributions } from '../../contributions/schema';
import { mailDonors } from '../mails';

/**
 * An administrator refunds a gift fully or partly. The contribution row is locked, so concurrent refunds
 * are serialized and the total refunded can never exceed the gift. The ledger records the reversal.
 */
export async function refundDonation(
	actor: Actor | null,
	contributionId: string,
	input: { amountMinor: string | number; reason?: string },
	idempotencyKey: string
) {
	const admin = requireAdmin(actor);
	const data = parseInput(refundSchema, input);
	const outcome = await db().transaction(async (tx) => {
		const [c] = await tx
			.select()
			.from(contributions)
			.where(eq(contributions.id, contributionId))
			.for('update');
		if (!c || c.kind !== 'money') throw new AppError('not_found', 'error_not_found');
		if (c.status !== 'succeeded' && c.status !== 'refunded')
			throw new AppError('conflict', 'payments_error_not_refundable');
		const [{ refunded }] = (
			await tx.execute<{ refunded: string }>(sql`
				SELECT coalesce(-sum(e.amount_minor), 0)::text AS refunded FROM ledger_groups g
				JOIN ledger_entries e ON e.group_id = g.id JOIN ledger_accounts a ON a.id = e.account_id
				WHERE g.contribution_id = ${c.id} AND g.kind = 'refund' AND a.kind = 'campaign'`)
		).rows;
		const left = c.amountMinor! - Number(refunded);
		if (data.amountMinor > left) throw fieldError('amountMinor', 'payments_error_refund_too_much');
		const group = await postGroup(tx, {
			kind: 'refund',
			contributionId: c.id,
			providerEvent: `refund:${c.id}:${idempotencyKey}`,
			memo: data.reason,
			entries: [
				{
					account: { kind: 'campaign', refId: c.needId, currency: c.currency! },
					amountMinor: -data.amountMinor
				},
				{ account: { kind: 'provider_clearing', currency: c.currency! }, amountMinor: data.amountMinor }
			]
		});
		if (!group) return { refunded: false };
		if (data.amountMinor === left)
			await tx
				.update(contributions)
				.set({ status: 'refunded', updatedAt: new Date() })
				.where(eq(contributions.id, c.id));
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
	if (outcome.refunded) await mailDonors([contributionId], 'refunded', { amountMinor: data.amountMinor });
	return outcome;
}
