import { and, eq, sql } from 'drizzle-orm';
import { needRefSchema } from '$lib/shared/needs/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { lockProject, requireAdjustable, isLive } from '../../projects';
import { needs, shifts } from '../schema';
import { authorize } from '../policy';

/** Deletes a need: freely before publication; afterwards only when nobody has contributed to it. */
export async function deleteNeed(actor: Actor | null, projectId: string, needId: string): Promise<void> {
	parseInput(needRefSchema, { needId });
	await db().transaction(async (tx) => {
		await authorize(actor, 'needs.manage', { id: projectId }, tx);
		const p = await lockProject(tx, projectId);
		requireAdjustable(p);
		const [existing] = await tx
			.select()
			.from(needs)
			.where(and(eq(needs.id, needId), eq(needs.projectId, projectId)))
			.for('update');
		if (!existing) throw new AppError('not_found', 'error_not_found');
		if (isLive(p)) {
			const [{ taken }] = (
				await tx.execute<{ taken: number }>(
					sql`SELECT coalesce(sum(taken), 0)::int AS taken FROM shifts WHERE need_id = ${needId}`
				)
			).rows;
			if (existing.kind === 'money' || existing.fulfilled > 0 || Number(taken) > 0)
				throw new AppError('conflict', 'needs_error_has_contributions');
		}
		await tx.delete(shifts).where(eq(shifts.needId, needId));
		await tx.delete(needs).where(eq(needs.id, needId));
	});
}
