import { eq } from 'drizzle-orm';
import { archiveRowSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { criteria } from '../schema';
import { authorize } from '../policy';

/**
 * Archives or restores a criterion (administrators). An archived criterion is no longer asked nor
 * judged; past answers and judgements keep it.
 */
export async function setCriterionArchived(
	actor: Actor | null,
	id: string,
	archived: boolean,
	ctx: RequestContext
): Promise<void> {
	const admin = await authorize(actor, 'criteria.manage');
	parseInput(archiveRowSchema, { id, archived });
	await db().transaction(async (tx) => {
		const [c] = await tx
			.update(criteria)
			.set({ archivedAt: archived ? new Date() : null })
			.where(eq(criteria.id, id))
			.returning({ id: criteria.id });
		if (!c) throw new AppError('not_found', 'error_not_found');
		await audit(tx, {
			actorId: admin.id,
			action: archived ? 'criteria.archived' : 'criteria.restored',
			targetType: 'criterion',
			targetId: id,
			ip: ctx.ip
		});
	});
}
