import { eq, desc } from 'drizzle-orm';
import { db } from '../db/client';
import { requireActor, type Actor } from '../accounts';
import { receiptIssuers, taxReceipts } from './schema';

/** The person's receipts, newest first. */
export async function listMyReceipts(actor: Actor | null) {
	const me = requireActor(actor);
	return db()
		.select({
			id: taxReceipts.id,
			number: taxReceipts.number,
			year: taxReceipts.year,
			kind: taxReceipts.kind,
			contributionId: taxReceipts.contributionId,
			amountMinor: taxReceipts.amountMinor,
			currency: taxReceipts.currency,
			issuerName: receiptIssuers.name
		})
		.from(taxReceipts)
		.innerJoin(receiptIssuers, eq(receiptIssuers.id, taxReceipts.issuerId))
		.where(eq(taxReceipts.donorId, me.id))
		.orderBy(desc(taxReceipts.issuedAt));
}
