import { asc, eq } from 'drizzle-orm';
import { moveRowSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { themes } from '../schema';
import { authorize } from '../policy';

/** Moves a theme one place up or down (administrators). */
export async function moveTheme(
	actor: Actor | null,
	id: string,
	direction: 'up' | 'down',
	ctx: RequestContext
) {
	const admin = await authorize(actor, 'themes.manage');
	parseInput(moveRowSchema, { id, direction });
	await db().transaction(async (tx) => {
		const all = await tx.select().from(themes).orderBy(asc(themes.position), asc(themes.nameFr));
		const index = all.findIndex((t) => t.id === id);
		if (index < 0) throw new AppError('not_found', 'error_not_found');
		const other = direction === 'up' ? index - 1 : index + 1;
		if (other < 0 || other >= all.length) return;
		const order = all.map((t) => t.id);
		[order[index], order[other]] = [order[other], order[index]];
		for (const [position, tid] of order.entries())
			await tx.update(themes).set({ position }).where(eq(themes.id, tid));
		await audit(tx, {
			actorId: admin.id,
			action: 'themes.moved',
			targetType: 'theme',
			targetId: id,
			data: { direction },
			ip: ctx.ip
		});
	});
}
