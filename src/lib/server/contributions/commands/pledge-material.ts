import { pledgeMaterialSchema, type PledgeMaterialInput } from '$lib/shared/contributions/schemas';
import { needRefSchema } from '$lib/shared/needs/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { contributions } from '../schema';
import { authorize } from '../policy';
import { openNeed } from '../rules';
import { claimFulfilment } from '../../needs';

/**
 * Pledges items, given or lent. Claimed with one conditional UPDATE (fulfilled + n <= quantity):
 * a need of 10 chairs gets 10 pledged chairs whatever the concurrency.
 */
export async function pledgeMaterial(
	actor: Actor | null,
	needId: string,
	input: PledgeMaterialInput
): Promise<string> {
	const me = await authorize(actor, 'contributions.give');
	parseInput(needRefSchema, { needId });
	const data = parseInput(pledgeMaterialSchema, input);
	return db().transaction(async (tx) => {
		const { need } = await openNeed(tx, needId, 'material');
		if (!(await claimFulfilment(tx, needId, data.quantity, 'quantity')))
			throw fieldError('quantity', 'contributions_error_material_exceeds');
		const [c] = await tx
			.insert(contributions)
			.values({
				projectId: need.projectId,
				needId,
				kind: 'material',
				contributorId: me.id,
				status: 'pledged',
				quantity: data.quantity,
				materialMode: data.materialMode,
				returnBy: data.materialMode === 'lend' ? data.returnBy : null,
				message: data.message
			})
			.returning({ id: contributions.id });
		return c.id;
	});
}
