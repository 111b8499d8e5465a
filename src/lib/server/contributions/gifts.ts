// Writes to money gifts for the payments domain: the contributions table is written only here, and
// payments calls these small functions inside its own transactions.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { contributions, type ContributionStatus } from './schema';

/** A contribution row. */
export type Contribution = typeof contributions.$inferSelect;

/** What a new money gift holds (kind, status and the money columns are set by the caller). */
export type NewMoneyGift = Omit<typeof contributions.$inferInsert, 'id' | 'kind' | 'createdAt' | 'updatedAt'>;

/**
 * Records a money gift; null when the donor already has one with this form's idempotency key (a
 * concurrent submit won the race).
 */
export async function insertMoneyGift(tx: Tx, values: NewMoneyGift): Promise<Contribution | null> {
	const [c] = await tx
		.insert(contributions)
		.values({ ...values, kind: 'money' })
		.onConflictDoNothing()
		.returning();
	return c ?? null;
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
