import { needRefSchema, shiftSchema, type ShiftInput } from '$lib/shared/needs/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { lockProject, requireAdjustable } from '../../projects';
import { shifts } from '../schema';
import { authorize } from '../policy';
import { shiftTimes, volunteerNeed } from '../rules';

/** Adds a shift to a volunteers need (team). */
export async function addShift(actor: Actor | null, projectId: string, needId: string, input: ShiftInput) {
	parseInput(needRefSchema, { needId });
	const data = parseInput(shiftSchema, input);
	return db().transaction(async (tx) => {
		await authorize(actor, 'needs.manage', { id: projectId }, tx);
		requireAdjustable(await lockProject(tx, projectId));
		await volunteerNeed(tx, projectId, needId);
		const [shift] = await tx
			.insert(shifts)
			.values({ needId, ...shiftTimes(data), place: data.place, capacity: data.capacity })
			.returning();
		return shift;
	});
}
