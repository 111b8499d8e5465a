// Writes to money gifts for the payments domain: the contributions table is written only here, and
// payments calls these small functions inside its own transactions, or composes the SQL they return
// (giftStatusChange) into one statement with its ledger group.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { auditInsertSql, type AuditEntry } from '../platform/audit';
import { contributions, type ContributionStatus } from './schema';

/** A contribution row. */
export type Contribution = typeof contributions.$inferSelect;

/** What a new money gift holds (kind, status and the money columns are set by the caller). */
export type NewMoneyGift = Omit<typeof contributions.$inferInsert, 'id' | 'kind' | 'createdAt' | 'updatedAt'>;

/**
 * Records a money gift and its audit row in one statement (the row's target is the new gift); null, and
 * no audit row, when the donor already has a gift with this form's idempotency key (a concurrent submit
 * won the race).
 */
export async function insertMoneyGift(
	exec: Executor,
	values: NewMoneyGift,
	auditEntry: Omit<AuditEntry, 'targetType' | 'targetId'>
): Promise<{ id: string } | null> {
	const id = randomUUID();
	const inserted = sql`gift AS (
		INSERT INTO contributions (id, project_id, need_id, kind, contributor_id, status, amount_minor, tip_minor,
			currency, payment_method, anonymous, message, idempotency_key)
		VALUES (${id}::uuid, ${values.projectId}::uuid, ${values.needId}::uuid, 'money', ${values.contributorId}::uuid,
			${values.status}, ${values.amountMinor ?? null}::bigint, ${values.tipMinor ?? null}::bigint,
			${values.currency ?? null}, ${values.paymentMethod ?? null}, ${values.anonymous ?? false},
			${values.message ?? ''}, ${values.idempotencyKey ?? null})
		ON CONFLICT DO NOTHING RETURNING id)`;
	const logged = auditInsertSql(
		{ ...auditEntry, targetType: 'contribution', targetId: id },
		sql`EXISTS (SELECT 1 FROM gift)`
	);
	const r = await exec.execute<{ id: string }>(
		sql`WITH ${inserted}, logged AS (${logged}) SELECT id FROM gift`
	);
	return r.rows.length ? { id } : null;
}

/**
 * The conditional status change of a money gift as one statement (`UPDATE … RETURNING id`), to run inside a
 * larger one (the ledger's postGroupIf): moves the gift to `status` only while it is in one of `from`,
 * so two deliveries of the same verdict cannot both move it; returns no row when it was not.
 */
export function giftStatusChange(
	id: string,
	status: ContributionStatus,
	options: { paymentRef?: string; from: ContributionStatus[] }
): SQL {
	return sql`UPDATE contributions SET status = ${status}, updated_at = now()${
		options.paymentRef !== undefined ? sql`, payment_ref = ${options.paymentRef}` : sql``
	}
		WHERE id = ${id}::uuid AND kind = 'money' AND status IN (${sql.join(
			options.from.map((f) => sql`${f}`),
			sql`, `
		)})
		RETURNING id`;
}

/** Locks a contribution for the rest of the transaction (concurrent settlements wait their turn). */
export async function lockContribution(tx: Tx, id: string): Promise<Contribution | undefined> {
	const [c] = await tx.select().from(contributions).where(eq(contributions.id, id)).for('update');
	return c;
}

/**
 * Moves a money gift to `status` (and records the provider's reference when given). With `from`, only
 * a gift in one of those statuses moves: returns false when it was not (settled meanwhile).
 */
export async function setGiftStatus(
	exec: Executor,
	id: string,
	status: ContributionStatus,
	options: { paymentRef?: string; from?: ContributionStatus[] } = {}
): Promise<boolean> {
	const rows = await exec
		.update(contributions)
		.set({
			status,
			...(options.paymentRef !== undefined ? { paymentRef: options.paymentRef } : {}),
			updatedAt: new Date()
		})
		.where(
			and(
				eq(contributions.id, id),
				eq(contributions.kind, 'money'),
				options.from ? inArray(contributions.status, options.from) : undefined
			)
		)
		.returning({ id: contributions.id });
	return rows.length > 0;
}

/**
 * Replaces a money gift's payment reference, only while it still is in `expect` (status and/or the
 * reference read before): a conditional update, so two writers cannot both claim the same step.
 */
export async function setGiftPaymentRef(
	exec: Executor,
	id: string,
	paymentRef: string | null,
	expect: { status?: ContributionStatus; paymentRef?: string | null } = {}
): Promise<boolean> {
	const rows = await exec
		.update(contributions)
		.set({ paymentRef, updatedAt: new Date() })
		.where(
			and(
				eq(contributions.id, id),
				eq(contributions.kind, 'money'),
				expect.status ? eq(contributions.status, expect.status) : undefined,
				expect.paymentRef === undefined
					? undefined
					: expect.paymentRef === null
						? isNull(contributions.paymentRef)
						: eq(contributions.paymentRef, expect.paymentRef)
			)
		)
		.returning({ id: contributions.id });
	return rows.length > 0;
}
