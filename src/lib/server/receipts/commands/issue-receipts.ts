import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { requireActor, requireAdmin, type Actor } from '../../accounts';
import { contributions } from '../../contributions/schema';
import { receiptIssuers, projectReceiptIssuers, taxReceipts } from '../schema';

export const donorSchema = z.object({
	donorName: z.string().trim().min(2, 'form_error_required').max(200, 'form_error_too_long'),
	donorAddress: z.string().trim().min(5, 'form_error_required').max(500, 'form_error_too_long')
});

export const issuerSchema = z.object({
	name: z.string().trim().min(2, 'form_error_required').max(200, 'form_error_too_long'),
	address: z.string().trim().min(5, 'form_error_required').max(500, 'form_error_too_long'),
	legalStatus: z.string().trim().min(2, 'form_error_required').max(300, 'form_error_too_long'),
	country: z.enum(['FR', 'CA'], 'form_error_invalid'),
	registrationNumber: z.string().trim().max(100, 'form_error_too_long').default(''),
	eligible: z.preprocess((v) => v === 'on' || v === true || v === 'true', z.boolean())
});

/** Administrators declare the organization that issues receipts for a project, and whether it is eligible. */
export async function setProjectIssuer(
	actor: Actor | null,
	projectId: string,
	input: z.input<typeof issuerSchema>
) {
	const admin = requireAdmin(actor);
	const data = parseInput(issuerSchema, input);
	return db().transaction(async (tx) => {
		const [link] = await tx
			.select()
			.from(projectReceiptIssuers)
			.where(eq(projectReceiptIssuers.projectId, projectId));
		let issuerId = link?.issuerId;
		if (issuerId) await tx.update(receiptIssuers).set(data).where(eq(receiptIssuers.id, issuerId));
		else {
			[{ id: issuerId }] = await tx.insert(receiptIssuers).values(data).returning({ id: receiptIssuers.id });
			await tx.insert(projectReceiptIssuers).values({ projectId, issuerId });
		}
		await audit(tx, {
			actorId: admin.id,
			action: 'receipts.issuer_set',
			targetType: 'project',
			targetId: projectId,
			data: { eligible: data.eligible }
		});
		return issuerId;
	});
}

/** Takes the issuer's next number atomically: sequential per issuer, never twice. */
async function nextNumber(tx: Tx, issuerId: string): Promise<number> {
	const [{ n }] = (
		await tx.execute<{ n: number }>(
			sql`UPDATE receipt_issuers SET next_number = next_number + 1 WHERE id = ${issuerId} RETURNING next_number - 1 AS n`
		)
	).rows;
	return Number(n);
}

/** What a gift gave net of refunds, from the ledger (a receipt never shows more than was kept). */
async function netGiven(tx: Tx, contributionId: string): Promise<number> {
	const [{ net }] = (
		await tx.execute<{ net: string }>(sql`
			SELECT coalesce(sum(e.amount_minor), 0)::text AS net FROM ledger_groups g
			JOIN ledger_entries e ON e.group_id = g.id JOIN ledger_accounts a ON a.id = e.account_id
			WHERE g.contribution_id = ${contributionId} AND a.kind = 'campaign'`)
	).rows;
	return Number(net);
}

/**
 * The donor asks for the receipt of one gift (succeeded, to a project whose issuer is eligible).
 * Asking again returns the same receipt.
 */
export async function requestReceipt(
	actor: Actor | null,
	contributionId: string,
	input: z.input<typeof donorSchema>
): Promise<string> {
	const me = requireActor(actor);
	const donor = parseInput(donorSchema, input);
	return db().transaction(async (tx) => {
		const [c] = await tx
			.select()
			.from(contributions)
			.where(eq(contributions.id, contributionId))
			.for('update');
		if (!c || c.contributorId !== me.id || c.kind !== 'money')
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

/**
 * One receipt for all of a donor's gifts to an issuer in a year (those not already covered by a
 * single receipt), instead of one per gift.
 */
export async function requestYearlyReceipt(
	actor: Actor | null,
	issuerId: string,
	year: number,
	input: z.input<typeof donorSchema>
): Promise<string> {
	const me = requireActor(actor);
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
