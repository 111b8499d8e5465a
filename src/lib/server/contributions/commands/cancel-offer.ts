import { eq, sql } from 'drizzle-orm';
import { contributionRefSchema } from '$lib/shared/contributions/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { requireActor, type Actor } from '../../accounts';
import { needs } from '../../needs/schema';
import { ownContribution, setStatus } from '../rules';

/** The contributor withdraws an offer not yet accepted. */
export async function cancelOffer(actor: Actor | null, contributionId: string): Promise<void> {
	const me = requireActor(actor);
	parseInput(contributionRefSchema, { contributionId });
	await db().transaction(async (tx) => {
		const c = await ownContribution(tx, me, contributionId);
		if (c.kind !== 'expertise' || c.status !== 'offered')
			throw new AppError('conflict', 'contributions_error_cannot_cancel');
		await setStatus(tx, c.id, 'cancelled');
		await tx
			.update(needs)
			.set({ fulfilled: sql`${needs.fulfilled} - ${c.hours!}` })
			.where(eq(needs.id, c.needId));
	});
}
