import { decideExpertiseSchema } from '$lib/shared/contributions/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { setStatus, teamContribution } from '../rules';
import { releaseFulfilment } from '../../needs';

/** The team accepts or declines an offer (declining frees the hours), or marks accepted hours delivered. */
export async function decideExpertise(
	actor: Actor | null,
	contributionId: string,
	to: 'accepted' | 'declined' | 'delivered'
): Promise<void> {
	const data = parseInput(decideExpertiseSchema, { contributionId, to });
	await db().transaction(async (tx) => {
		const c = await teamContribution(tx, actor, data.contributionId);
		const from = { accepted: ['offered'], declined: ['offered'], delivered: ['accepted'] }[data.to];
		if (c.kind !== 'expertise' || !from.includes(c.status))
			throw new AppError('conflict', 'contributions_error_transition');
		await setStatus(tx, c.id, data.to);
		if (data.to === 'declined') await releaseFulfilment(tx, c.needId, c.hours!);
	});
}
