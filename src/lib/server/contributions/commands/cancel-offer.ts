import { contributionRefSchema } from '$lib/shared/contributions/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { requireActor, type Actor } from '../../accounts';
import { ownContribution, setStatus } from '../rules';
import { releaseFulfilment } from '../../needs';

/** The contributor withdraws an offer not yet accepted. */
export async function cancelOffer(actor: Actor | null, contributionId: string): Promise<void> {
	const me = requireActor(actor);
	parseInput(contributionRefSchema, { contributionId });
	await db().transaction(async (tx) => {
		const c = await ownContribution(tx, me, contributionId);
		if (c.kind !== 'expertise' || c.status !== 'offered')
			throw new AppError('conflict', 'contributions_error_cannot_cancel');
		await setStatus(tx, c.id, 'cancelled');
		await releaseFulfilment(tx, c.needId, c.hours!);
	});
}
