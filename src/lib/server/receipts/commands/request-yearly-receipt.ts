import { and, eq, sql } from 'drizzle-orm';
import { donorSchema, yearlyReceiptRequestSchema, type DonorInput } from '$lib/shared/receipts/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor } from '../../accounts';
import { receiptIssuers, taxReceipts } from '../schema';
import { authorize } from '../policy';
import { nextNumber } from '../rules';

/**
 * One receipt for all of a donor's gifts to an issuer in a year (those not already covered by a
 * single receipt), instead of one per gift.
 */
export async function requestYearlyReceipt(
	actor: Actor | null,
	issuerId: string,
	year: number,
	input: DonorInput
): Promise<string> {
	const me = await authorize(actor, 'receipts.request');
	parseInput(yearlyReceiptRequestSchema, { issuerId, year });
	const donor = parseInput(donorSchema, input);
	return db().transaction(async (tx) => {
		const [existing] = await tx
			.select()
			.from(taxReceipts)
			.where(
				and(
					eq(taxReceipts.issuerId, issuerId),
					eq(taxReceipts.donorId, me.id),
					eq(taxReceipts.year, year),
					eq(taxReceipts.kind, 'yearly')
				)
			);
		if (existing) return existing.id;
		const [issuer] = await tx.select().from(receiptIssuers).where(eq(receiptIssuers.id, issuerId));
		if (!issuer?.eligible) throw new AppError('conflict', 'receipts_error_not_eligible');
		const gifts = (
			await tx.execute<{ id: string; currency: string; net: string }>(sql`
				SELECT c.id, c.currency, (SELECT coalesce(sum(e.amount_minor), 0) FROM ledger_groups g
					JOIN ledger_entries e ON e.group_id = g.id JOIN ledger_accounts a ON a.id = e.account_id
					WHERE g.contribution_id = c.id AND a.kind = 'campaign')::text AS net
				FROM contributions c JOIN project_receipt_issuers pri ON pri.project_id = c.project_id
				WHERE pri.issuer_id = ${issuerId} AND c.contributor_id = ${me.id} AND c.kind = 'money' AND c.status IN ('succeeded', 'refunded')
					AND extract(year FROM c.updated_at) = ${year}
					AND NOT EXISTS (SELECT 1 FROM tax_receipts r WHERE r.contribution_id = c.id AND r.kind = 'single')`)
		).rows;
		const total = gifts.reduce((s, g) => s + Number(g.net), 0);
		if (total <= 0) throw new AppError('conflict', 'receipts_error_nothing_to_receipt');
		const [r] = await tx
			.insert(taxReceipts)
			.values({
				issuerId,
				number: await nextNumber(tx, issuerId),
				kind: 'yearly',
				year,
				donorId: me.id,
				...donor,
				amountMinor: total,
				currency: gifts[0].currency,
				paymentDate: `${year}-12-31`,
				paymentMethod: 'various'
			})
			.returning({ id: taxReceipts.id });
		await audit(tx, {
			actorId: me.id,
			action: 'receipts.issued_yearly',
			targetType: 'receipt',
			targetId: r.id
		});
		return r.id;
	});
}
