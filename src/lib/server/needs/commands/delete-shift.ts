import { and, eq } from 'drizzle-orm';
import { needRefSchema, shiftRefSchema } from '$lib/shared/needs/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { lockProject, requireAdjustable } from '../../projects';
import { shifts } from '../schema';
import { authorize } from '../policy';
import { volunteerNeed } from '../rules';

/** Deletes a shift nobody has signed up for (team). */
export async function deleteShift(
	actor: Actor | null,
	projectId: string,
	needId: string,
	shiftId: string
): Promise<void> {
	parseInput(needRefSchema, { needId });
	parseInput(shiftRefSchema, { shiftId });
	await db().transaction(async (tx) => {
		await authorize(actor, 'needs.manage', { id: projectId }, tx);
		requireAdjustable(await lockProject(tx, projectId));
		await volunteerNeed(tx, projectId, needId);
		const deleted = await tx
			.delete(shifts)
			.where(and(eq(shifts.id, shiftId), eq(shifts.needId, needId), eq(shifts.taken, 0)))
			.returning({ id: shifts.id });
		if (!deleted.length) throw new AppError('conflict', 'needs_error_has_contributions');
	});
}
