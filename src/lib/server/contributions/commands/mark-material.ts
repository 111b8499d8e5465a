import { markMaterialSchema } from '$lib/shared/contributions/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { setStatus, teamContribution } from '../rules';

/** The team confirms it received the items (and, for a loan, that it gave them back). */
export async function markMaterial(
	actor: Actor | null,
	contributionId: string,
	to: 'received' | 'returned'
): Promise<void> {
	const data = parseInput(markMaterialSchema, { contributionId, to });
	await db().transaction(async (tx) => {
		const c = await teamContribution(tx, actor, data.contributionId);
		const ok =
			c.kind === 'material' &&
			((data.to === 'received' && c.status === 'pledged') ||
				(data.to === 'returned' && c.status === 'received' && c.materialMode === 'lend'));
		if (!ok) throw new AppError('conflict', 'contributions_error_transition');
		await setStatus(tx, c.id, data.to);
	});
}
