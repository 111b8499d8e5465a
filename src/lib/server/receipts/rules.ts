import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client';

// What the receipt commands share: numbering and the amount a receipt may show.

/** Takes the issuer's next number atomically: sequential per issuer, never twice. */
export async function nextNumber(tx: Tx, issuerId: string): Promise<number> {
	const [{ n }] = (
		await tx.execute<{ n: number }>(
			sql`UPDATE receipt_issuers SET next_number = next_number + 1 WHERE id = ${issuerId} RETURNING next_number - 1 AS n`
		)
	).rows;
	return Number(n);
}

/** What a gift gave net of refunds, from the ledger (a receipt never shows more than was kept). */
export async function netGiven(tx: Tx, contributionId: string): Promise<number> {
	const [{ net }] = (
		await tx.execute<{ net: string }>(sql`
			SELECT coalesce(sum(e.amount_minor), 0)::text AS net FROM ledger_groups g
			JOIN ledger_entries e ON e.group_id = g.id JOIN ledger_accounts a ON a.id = e.account_id
			WHERE g.contribution_id = ${contributionId} AND a.kind = 'campaign'`)
	).rows;
	return Number(net);
}
