import { offerExpertiseSchema, type OfferExpertiseInput } from '$lib/shared/contributions/schemas';
import { needRefSchema } from '$lib/shared/needs/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { contributions } from '../schema';
import { authorize } from '../policy';
import { openNeed } from '../rules';
import { claimFulfilment } from '../../needs';

/** Offers hours of expertise; the offered hours are reserved against the need (conditional update). */
export async function offerExpertise(
	actor: Actor | null,
	needId: string,
	input: OfferExpertiseInput
): Promise<string> {
	const me = await authorize(actor, 'contributions.give');
	parseInput(needRefSchema, { needId });
	const data = parseInput(offerExpertiseSchema, input);
	return db().transaction(async (tx) => {
		const { need } = await openNeed(tx, needId, 'expertise');
		if (!(await claimFulfilment(tx, needId, data.hours, 'hours')))
			throw fieldError('hours', 'contributions_error_hours_exceed');
		const [c] = await tx
			.insert(contributions)
			.values({
				projectId: need.projectId,
				needId,
				kind: 'expertise',
				contributorId: me.id,
				status: 'offered',
				hours: data.hours,
				message: data.message
			})
			.returning({ id: contributions.id });
		return c.id;
	});
}
