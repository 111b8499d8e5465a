import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { needs, shifts } from './schema';

// The one door to a need's capacity counters (shift places taken, quantity and hours promised). Gifts are
// the contributions domain's, the counters are the needs': contributions claim and release through these,
// inside their own transaction. A claim is a conditional UPDATE (never read-then-write), so parallel
// sign-ups cannot oversell.

/** Takes one place on a shift; false when it is full. */
export async function claimShiftPlace(tx: Executor, shiftId: string): Promise<boolean> {
	const claimed = await tx
		.update(shifts)
		.set({ taken: sql`${shifts.taken} + 1` })
		.where(and(eq(shifts.id, shiftId), sql`${shifts.taken} < ${shifts.capacity}`))
		.returning({ id: shifts.id });
	return claimed.length > 0;
}

/** Gives a shift's place back (a sign-up cancelled). */
export async function releaseShiftPlace(tx: Executor, shiftId: string): Promise<void> {
	await tx
		.update(shifts)
		.set({ taken: sql`${shifts.taken} - 1` })
		.where(eq(shifts.id, shiftId));
}

/**
 * Promises `amount` of a material need's quantity or an expertise need's hours; false when it would go
 * past what the need asks for.
 */
export async function claimFulfilment(
	tx: Executor,
	needId: string,
	amount: number,
	measure: 'quantity' | 'hours'
): Promise<boolean> {
	const limit = measure === 'quantity' ? needs.quantity : needs.hours;
	const claimed = await tx
		.update(needs)
		.set({ fulfilled: sql`${needs.fulfilled} + ${amount}` })
		.where(and(eq(needs.id, needId), sql`${needs.fulfilled} + ${amount} <= ${limit}`))
		.returning({ id: needs.id });
	return claimed.length > 0;
}

/** Gives back what a cancelled pledge or a declined offer had promised. */
export async function releaseFulfilment(tx: Executor, needId: string, amount: number): Promise<void> {
	await tx
		.update(needs)
		.set({ fulfilled: sql`${needs.fulfilled} - ${amount}` })
		.where(eq(needs.id, needId));
}
