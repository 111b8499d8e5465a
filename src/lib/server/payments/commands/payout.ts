import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { moneyAmount } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { requireAdmin, type Actor } from '../../accounts';
import { postGroup, campaignBalances } from '../../ledger';
import { needs } from '../../needs/schema';

export const payoutSchema = z.object({
	needId: z.uuid('form_error_invalid'),
	amountMinor: moneyAmount,
	memo: z.string().trim().max(300, 'form_error_too_long').default('')
});

/**
 * An administrator records money paid out to a project's carrier: the campaign's balance goes down by the
 * amount (never below zero; the need is locked so two payouts cannot both spend the same money).
 */
export async function recordPayout(
	actor: Actor | null,
	input: z.input<typeof payoutSchema>,
	idempotencyKey: string
) {
	const admin = requireAdmin(actor);
	const data = parseInput(payoutSchema, input);
	return db().transaction(async (tx) => {
		const [need] = await tx.select().from(needs).where(eq(needs.id, data.needId)).for('update');
		if (!need || need.kind !== 'money') throw new AppError('not_found', 'error_not_found');
		const balance = (await campaignBalances(tx, [need.id])).get(need.id) ?? 0;
		if (data.amountMinor > balance) throw fieldError('amountMinor', 'payments_error_payout_too_much');
		const group = await postGroup(tx, {
			kind: 'payout',
			providerEvent: `payout:${need.id}:${idempotencyKey}`,
			memo: data.memo,
			entries: [
				{
					account: { kind: 'campaign', refId: need.id, currency: need.currency! },
					amountMinor: -data.amountMinor
				},
				{
					account: { kind: 'payouts', refId: need.id, currency: need.currency! },
					amountMinor: data.amountMinor
				}
			]
		});
		if (group)
			await audit(tx, {
				actorId: admin.id,
				action: 'payments.payout_recorded',
				targetType: 'need',
				targetId: need.id,
				data: { amountMinor: data.amountMinor }
			});
		return { recorded: Boolean(group) };
	});
}
