import { and, eq } from 'drizzle-orm';
import { donorSchema, receiptRequestSchema, type DonorInput } from '$lib/shared/receipts/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor } from '../../accounts';
import { contributions } from '../../contributions/schema';
import { receiptIssuers, projectReceiptIssuers, taxReceipts } from '../schema';
import { authorize, can } from '../policy';
import { netGiven, nextNumber } from '../rules';

/**
 * The donor asks for the receipt of one gift (succeeded, to a project whose issuer is eligible).
 * Asking again returns the same receipt.
 */
export async function requestReceipt(
	actor: Actor | null,
	contributionId: string,
	input: DonorInput
): Promise<string> {
	const me = await authorize(actor, 'receipts.request');
	parseInput(receiptRequestSchema, { contributionId });
	const donor = parseInput(donorSchema, input);
	return db().transaction(async (tx) => {
		const [c] = await tx
			.select()
			.from(contributions)
			.where(eq(contributions.id, contributionId))
			.for('update');
		// Somebody else's gift is `not_found`, so that its existence is not revealed.
		if (!c || !(await can(me, 'receipt.request_for', c, tx)) || c.kind !== 'money')
			throw new AppError('not_found', 'error_not_found');
		const [existing] = await tx
			.select()
			.from(taxReceipts)
			.where(and(eq(taxReceipts.contributionId, c.id), eq(taxReceipts.kind, 'single')));
		if (existing) return existing.id;
		if (c.status !== 'succeeded') throw new AppError('conflict', 'receipts_error_not_eligible');
		const [issuer] = await tx
			.select({ issuer: receiptIssuers })
			.from(projectReceiptIssuers)
			.innerJoin(receiptIssuers, eq(receiptIssuers.id, projectReceiptIssuers.issuerId))
			.where(eq(projectReceiptIssuers.projectId, c.projectId));
		if (!issuer?.issuer.eligible) throw new AppError('conflict', 'receipts_error_not_eligible');
		const year = c.updatedAt.getUTCFullYear();
		const [yearly] = await tx
			.select({ id: taxReceipts.id })
			.from(taxReceipts)
			.where(
				and(
					eq(taxReceipts.issuerId, issuer.issuer.id),
					eq(taxReceipts.donorId, me.id),
					eq(taxReceipts.year, year),
					eq(taxReceipts.kind, 'yearly')
				)
			);
		if (yearly) throw new AppError('conflict', 'receipts_error_yearly_exists');
		const amount = await netGiven(tx, c.id);
		if (amount <= 0) throw new AppError('conflict', 'receipts_error_not_eligible');
		const [r] = await tx
			.insert(taxReceipts)
			.values({
				issuerId: issuer.issuer.id,
				number: await nextNumber(tx, issuer.issuer.id),
				kind: 'single',
				year,
				donorId: me.id,
				contributionId: c.id,
				...donor,
				amountMinor: amount,
				currency: c.currency!,
				paymentDate: c.updatedAt.toISOString().slice(0, 10),
				paymentMethod: c.paymentMethod ?? 'card'
			})
			.returning({ id: taxReceipts.id });
		await audit(tx, { actorId: me.id, action: 'receipts.issued', targetType: 'receipt', targetId: r.id });
		return r.id;
	});
}
