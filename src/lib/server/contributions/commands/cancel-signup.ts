import { contributionRefSchema } from '$lib/shared/contributions/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { requireActor, type Actor } from '../../accounts';
import { ownContribution, setStatus } from '../rules';
import { releaseShiftPlace } from '../../needs';

/** The volunteer cancels their own sign-up; the place is freed. */
export async function cancelSignup(actor: Actor | null, contributionId: string): Promise<void> {
	const me = requireActor(actor);
	parseInput(contributionRefSchema, { contributionId });
	await db().transaction(async (tx) => {
		const c = await ownContribution(tx, me, contributionId);
		if (c.kind !== 'volunteers' || c.status !== 'signed_up')
			throw new AppError('conflict', 'contributions_error_cannot_cancel');
		await setStatus(tx, c.id, 'cancelled');
		await releaseShiftPlace(tx, c.shiftId!);
	});
}
