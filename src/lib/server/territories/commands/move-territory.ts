import { and, eq, isNull } from 'drizzle-orm';
import { moveRowSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { territories } from '../schema';
import { authorize } from '../policy';

/** Moves a territory one place up or down among its siblings (administrators). */
export async function moveTerritory(
	actor: Actor | null,
	id: string,
	direction: 'up' | 'down',
	ctx: RequestContext
) {
	const admin = await authorize(actor, 'territories.manage');
	parseInput(moveRowSchema, { id, direction });
	await db().transaction(async (tx) => {
		const [t] = await tx.select().from(territories).where(eq(territories.id, id));
		if (!t) throw new AppError('not_found', 'error_not_found');
		const siblings = await tx
			.select()
			.from(territories)
			.where(and(t.parentId ? eq(territories.parentId, t.parentId) : isNull(territories.parentId)))
			.orderBy(territories.position, territories.nameFr);
		const index = siblings.findIndex((s) => s.id === id);
		const swapWith = siblings[direction === 'up' ? index - 1 : index + 1];
		if (!swapWith) return;
		// Renumber so positions are distinct, then swap.
		const order = siblings.map((s) => s.id);
		order[index] = swapWith.id;
		order[siblings.indexOf(swapWith)] = id;
		for (const [position, sid] of order.entries()) {
			await tx.update(territories).set({ position }).where(eq(territories.id, sid));
		}
		await audit(tx, {
			actorId: admin.id,
			action: 'territories.moved',
			targetType: 'territory',
			targetId: id,
			data: { direction },
			ip: ctx.ip
		});
	});
}
