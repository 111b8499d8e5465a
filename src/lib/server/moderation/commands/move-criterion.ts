import { asc, eq } from 'drizzle-orm';
import { moveRowSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { criteria } from '../schema';
import { authorize } from '../policy';

/** Moves a criterion one place up or down (administrators); positions are renumbered 0, 1, 2… */
export async function moveCriterion(
	actor: Actor | null,
	id: string,
	direction: 'up' | 'down',
	ctx: RequestContext
): Promise<void> {
	const admin = await authorize(actor, 'criteria.manage');
	parseInput(moveRowSchema, { id, direction });
	await db().transaction(async (tx) => {
		// Lock the whole list so that two moves at once do not interleave.
		const all = await tx
			.select({ id: criteria.id })
			.from(criteria)
			.orderBy(asc(criteria.position), asc(criteria.slug))
			.for('update');
		const index = all.findIndex((c) => c.id === id);
		if (index < 0) throw new AppError('not_found', 'error_not_found');
		const other = direction === 'up' ? index - 1 : index + 1;
		if (other < 0 || other >= all.length) return;
		const order = all.map((c) => c.id);
		[order[index], order[other]] = [order[other], order[index]];
		for (const [position, cid] of order.entries())
			await tx.update(criteria).set({ position }).where(eq(criteria.id, cid));
		await audit(tx, {
			actorId: admin.id,
			action: 'criteria.moved',
			targetType: 'criterion',
			targetId: id,
			data: { direction },
			ip: ctx.ip
		});
	});
}
