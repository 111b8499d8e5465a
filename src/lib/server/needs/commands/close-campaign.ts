import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { needs } from '../schema';

/**
 * Marks a money need's campaign closed (its deadline passed and it was settled). Called by the payments'
 * closing job inside its transaction, which holds the need's row lock; the need's table is written here only.
 */
export async function closeCampaign(tx: Executor, needId: string): Promise<void> {
	await tx.update(needs).set({ closedAt: new Date() }).where(eq(needs.id, needId));
}
