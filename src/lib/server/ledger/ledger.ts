import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { AppError } from '../platform/errors';
import { ledgerAccounts, ledgerGroups, ledgerEntries, ledgerAccountKinds } from './schema';

export type AccountKind = (typeof ledgerAccountKinds)[number];

export interface AccountRef {
	kind: AccountKind;
	refId?: string | null;
	currency: string;
}

export interface GroupInput {
	kind: 'gift' | 'refund' | 'payout' | 'fee' | 'correction';
	contributionId?: string | null;
	/** The provider's payment/event id: the same one is credited at most once. */
	providerEvent?: string | null;
	memo?: string;
	entries: { account: AccountRef; amountMinor: number }[];
}

/** Finds or creates an account (concurrent creators get the same row). */
async function accountId(tx: Tx, ref: AccountRef): Promise<string> {
	const refId = ref.refId ?? null;
	await tx.execute(sql`
		INSERT INTO ledger_accounts (kind, ref_id, currency) VALUES (${ref.kind}, ${refId}, ${ref.currency})
		ON CONFLICT DO NOTHING`);
	const [row] = await tx
		.select({ id: ledgerAccounts.id })
		.from(ledgerAccounts)
		.where(
			and(
				eq(ledgerAccounts.kind, ref.kind),
				refId ? eq(ledgerAccounts.refId, refId) : sql`${ledgerAccounts.refId} IS NULL`,
				eq(ledgerAccounts.currency, ref.currency)
			)
		);
	return row.id;
}

/**
 * Writes one balanced group of entries. Returns null (and writes nothing) when the provider event was
 * already recorded, so a webhook delivered twice credits once. Must run inside the caller's transaction.
 */
export async function postGroup(tx: Tx, input: GroupInput): Promise<string | null> {
	const byCurrency = new Map<string, number>();
	for (const e of input.entries) {
		if (!Number.isSafeInteger(e.amountMinor) || e.amountMinor === 0)
			throw new AppError('validation', 'ledger_error_amount');
		byCurrency.set(e.account.currency, (byCurrency.get(e.account.currency) ?? 0) + e.amountMinor);
	}
	if ([...byCurrency.values()].some((sum) => sum !== 0))
		throw new AppError('validation', 'ledger_error_unbalanced');
	const inserted = await tx
		.insert(ledgerGroups)
		.values({
			kind: input.kind,
			contributionId: input.contributionId ?? null,
			providerEvent: input.providerEvent ?? null,
			memo: input.memo ?? ''
		})
		.onConflictDoNothing()
		.returning({ id: ledgerGroups.id });
	if (!inserted.length) return null;
	const groupId = inserted[0].id;
	for (const e of input.entries) {
		await tx.insert(ledgerEntries).values({
			groupId,
			accountId: await accountId(tx, e.account),
			amountMinor: e.amountMinor,
			currency: e.account.currency
		});
	}
	return groupId;
}

/** What each money need's campaign has received, from the ledger (one query for many needs). */
export async function campaignBalances(exec: Executor, needIds: string[]): Promise<Map<string, number>> {
	const result = new Map<string, number>();
	if (!needIds.length) return result;
	const rows = await exec
		.select({
			needId: ledgerAccounts.refId,
			total: sql<string>`coalesce(sum(${ledgerEntries.amountMinor}), 0)`
		})
		.from(ledgerAccounts)
		.innerJoin(ledgerEntries, eq(ledgerEntries.accountId, ledgerAccounts.id))
		.where(and(eq(ledgerAccounts.kind, 'campaign'), inArray(ledgerAccounts.refId, needIds)))
		.groupBy(ledgerAccounts.refId);
	for (const r of rows) result.set(r.needId!, Number(r.total));
	return result;
}

/** The ledger's invariants; returns the list of violations (empty when the ledger is sound). */
export async function checkLedger(exec: Executor): Promise<string[]> {
	const problems: string[] = [];
	const unbalanced = await exec.execute<{ group_id: string; currency: string; total: string }>(sql`
		SELECT group_id, currency, sum(amount_minor)::text AS total FROM ledger_entries
		GROUP BY group_id, currency HAVING sum(amount_minor) <> 0`);
	for (const r of unbalanced.rows)
		problems.push(`group ${r.group_id} does not balance in ${r.currency} (${r.total})`);
	const empty = await exec.execute<{ id: string }>(sql`
		SELECT g.id FROM ledger_groups g WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.group_id = g.id)`);
	for (const r of empty.rows) problems.push(`group ${r.id} has no entries`);
	const duplicateCredits = await exec.execute<{ contribution_id: string; n: number }>(sql`
		SELECT contribution_id, count(*)::int AS n FROM ledger_groups WHERE kind = 'gift' AND contribution_id IS NOT NULL
		GROUP BY contribution_id HAVING count(*) > 1`);
	for (const r of duplicateCredits.rows)
		problems.push(`contribution ${r.contribution_id} was credited ${r.n} times`);
	const overRefunded = await exec.execute<{ contribution_id: string }>(sql`
		WITH flows AS (
			SELECT g.contribution_id, g.kind, sum(e.amount_minor) AS amount
			FROM ledger_groups g JOIN ledger_entries e ON e.group_id = g.id JOIN ledger_accounts a ON a.id = e.account_id
			WHERE a.kind = 'campaign' AND g.contribution_id IS NOT NULL GROUP BY g.contribution_id, g.kind
		)
		SELECT contribution_id FROM flows GROUP BY contribution_id
		HAVING coalesce(sum(amount) FILTER (WHERE kind = 'refund'), 0) < -coalesce(sum(amount) FILTER (WHERE kind = 'gift'), 0)`);
	for (const r of overRefunded.rows)
		problems.push(`contribution ${r.contribution_id} was refunded more than it gave`);
	const negative = await exec.execute<{ id: string; total: string }>(sql`
		SELECT a.id, sum(e.amount_minor)::text AS total FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id
		WHERE a.kind = 'campaign' GROUP BY a.id HAVING sum(e.amount_minor) < 0`);
	for (const r of negative.rows) problems.push(`campaign account ${r.id} is below zero (${r.total})`);
	return problems;
}
