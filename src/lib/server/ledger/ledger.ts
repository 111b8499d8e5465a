import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { database, type Executor } from '../db/client';
import { AppError } from '../platform/errors';
import { ledgerAccounts, ledgerEntries, ledgerAccountKinds } from './schema';

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

// Account ids, per database: an account never changes once created (kind, reference and currency are its
// key; nothing updates or deletes it), so a posting only asks the database for the accounts it has not
// met yet. Only accounts committed by others are remembered: one created by the transaction still running
// could vanish with its rollback.
const knownAccounts = new WeakMap<object, Map<string, string>>();

/** The key's stand-in for "no reference" (the unique index ledger_accounts_key uses the same). */
const NO_REF = sql.raw(`'00000000-0000-0000-0000-000000000000'::uuid`);

function accountKey(ref: AccountRef): string {
	return `${ref.kind}|${ref.refId ?? ''}|${ref.currency}`;
}

/** The account ids this process already knows for the current database (none when there is none). */
function accountCache(): Map<string, string> | undefined {
	let current: object;
	try {
		current = database();
	} catch {
		return undefined;
	}
	let cache = knownAccounts.get(current);
	if (!cache) knownAccounts.set(current, (cache = new Map()));
	return cache;
}

/**
 * The ids of these accounts, creating the missing ones (concurrent creators get the same row): those met
 * before come from memory; the others are found or created in one statement.
 */
export async function accountIds(exec: Executor, refs: AccountRef[]): Promise<Map<string, string>> {
	const cache = accountCache();
	const ids = new Map<string, string>();
	let missing: AccountRef[] = [];
	for (const ref of refs) {
		const key = accountKey(ref);
		const id = cache?.get(key);
		if (id) ids.set(key, id);
		else if (!ids.has(key) && !missing.some((m) => accountKey(m) === key)) missing.push(ref);
	}
	// Twice at most: an account a concurrent transaction was creating is invisible to the first statement
	// (ON CONFLICT waited for it but the statement's snapshot predates it); the second one sees it.
	for (let attempt = 0; missing.length && attempt < 2; attempt++) {
		const wanted = sql.join(
			missing.map((r) => sql`(${r.kind}, ${r.refId ?? null}::uuid, ${r.currency})`),
			sql`, `
		);
		const rows = (
			await exec.execute<{
				id: string;
				kind: AccountKind;
				ref_id: string | null;
				currency: string;
				ours: boolean;
			}>(sql`
				WITH wanted (kind, ref_id, currency) AS (VALUES ${wanted}),
				created AS (
					INSERT INTO ledger_accounts (kind, ref_id, currency) SELECT kind, ref_id, currency FROM wanted
					ON CONFLICT DO NOTHING RETURNING id, kind, ref_id, currency
				)
				SELECT id, kind, ref_id, currency, true AS ours FROM created
				UNION ALL
				SELECT a.id, a.kind, a.ref_id, a.currency, a.xmin = xid(pg_current_xact_id_if_assigned()) AS ours
				FROM ledger_accounts a JOIN wanted w ON a.kind = w.kind AND a.currency = w.currency
					AND coalesce(a.ref_id, ${NO_REF}) = coalesce(w.ref_id, ${NO_REF})`)
		).rows;
		for (const r of rows) {
			const key = accountKey({ kind: r.kind, refId: r.ref_id, currency: r.currency });
			ids.set(key, r.id);
			if (!r.ours) cache?.set(key, r.id);
		}
		missing = missing.filter((m) => !ids.has(accountKey(m)));
	}
	if (missing.length) throw new Error(`ledger account not found: ${missing.map(accountKey).join(', ')}`);
	return ids;
}

/** Checks that a group's entries are non-zero integers and balance in each currency. */
function checkBalanced(input: GroupInput): void {
	const byCurrency = new Map<string, number>();
	for (const e of input.entries) {
		if (!Number.isSafeInteger(e.amountMinor) || e.amountMinor === 0)
			throw new AppError('validation', 'ledger_error_amount');
		byCurrency.set(e.account.currency, (byCurrency.get(e.account.currency) ?? 0) + e.amountMinor);
	}
	if ([...byCurrency.values()].some((sum) => sum !== 0))
		throw new AppError('validation', 'ledger_error_unbalanced');
}

/**
 * One statement that writes the group and all its entries (one multi-row INSERT), the group only when
 * its provider event is new and, with `guard`, only when the guard (a data-modifying statement with
 * RETURNING, run first as the CTE `guard`) returned a row. Answers `guarded` (rows of the guard) and `id`.
 */
async function writeGroup(
	exec: Executor,
	input: GroupInput,
	guard?: SQL
): Promise<{ guarded: number; id: string | null }> {
	checkBalanced(input);
	const accounts = await accountIds(
		exec,
		input.entries.map((e) => e.account)
	);
	const entries = sql.join(
		input.entries.map(
			(e) =>
				sql`(${accounts.get(accountKey(e.account))!}::uuid, ${e.amountMinor}::bigint, ${e.account.currency})`
		),
		sql`, `
	);
	const group = sql`SELECT ${input.kind}, ${input.contributionId ?? null}::uuid, ${input.providerEvent ?? null}, ${input.memo ?? ''}`;
	const [row] = (
		await exec.execute<{ guarded: number; id: string | null }>(sql`
			WITH ${guard ? sql`guard AS (${guard}),` : sql``}
			g AS (
				INSERT INTO ledger_groups (kind, contribution_id, provider_event, memo)
				${group} ${guard ? sql`WHERE EXISTS (SELECT 1 FROM guard)` : sql``}
				ON CONFLICT DO NOTHING RETURNING id
			),
			e AS (
				INSERT INTO ledger_entries (group_id, account_id, amount_minor, currency)
				SELECT g.id, v.account_id, v.amount_minor, v.currency FROM g, (VALUES ${entries}) AS v (account_id, amount_minor, currency)
			)
			SELECT ${guard ? sql`(SELECT count(*) FROM guard)::int` : sql`1`} AS guarded, (SELECT id FROM g) AS id`)
	).rows;
	return { guarded: Number(row.guarded), id: row.id };
}

/**
 * Writes one balanced group of entries in one statement. Returns null (and writes nothing) when the
 * provider event was already recorded, so a webhook delivered twice credits once. Runs inside the
 * caller's transaction, or on its own (a single statement is atomic).
 */
export async function postGroup(exec: Executor, input: GroupInput): Promise<string | null> {
	return (await writeGroup(exec, input)).id;
}

/**
 * The same, in one statement with `guard` — a conditional write of the caller (e.g. a gift's status moving
 * from pending to succeeded, `UPDATE … WHERE status = 'pending' RETURNING id`), run first: the group is
 * written only when the guard wrote a row. `guarded` tells whether it did; `id` is null when it did not or
 * the provider event was already recorded.
 */
export async function postGroupIf(
	exec: Executor,
	guard: SQL,
	input: GroupInput
): Promise<{ guarded: boolean; id: string | null }> {
	const r = await writeGroup(exec, input, guard);
	return { guarded: r.guarded > 0, id: r.id };
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
