import { and, eq, sql } from 'drizzle-orm';
import { needRefSchema, shiftRefSchema, shiftSchema, type ShiftInput } from '$lib/shared/needs/schemas';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { lockProject, requireAdjustable } from '../../projects';
import { shifts } from '../schema';
import { authorize } from '../policy';
import { shiftTimes, volunteerNeed } from '../rules';

/** Edits a shift; its capacity can never go below the people already signed up (conditional update). */
export async function updateShift(
	actor: Actor | null,
	projectId: string,
	needId: string,
	shiftId: string,
	input: ShiftInput
): Promise<void> {
	parseInput(needRefSchema, { needId });
	parseInput(shiftRefSchema, { shiftId });
	const data = parseInput(shiftSchema, input);
	await db().transaction(async (tx) => {
		await authorize(actor, 'needs.manage', { id: projectId }, tx);
		requireAdjustable(await lockProject(tx, projectId));
		await volunteerNeed(tx, projectId, needId);
		const updated = await tx
			.update(shifts)
			.set({ ...shiftTimes(data), place: data.place, capacity: data.capacity })
			.where(and(eq(shifts.id, shiftId), eq(shifts.needId, needId), sql`${shifts.taken} <= ${data.capacity}`))
			.returning({ id: shifts.id });
		if (!updated.length) {
			const [exists] = await tx
				.select({ id: shifts.id })
				.from(shifts)
				.where(and(eq(shifts.id, shiftId), eq(shifts.needId, needId)));
			if (!exists) throw new AppError('not_found', 'error_not_found');
			throw fieldError('capacity', 'needs_error_capacity_below_signups');
		}
	});
}
