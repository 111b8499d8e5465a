import { eq } from 'drizzle-orm';
import { signUpForShiftSchema } from '$lib/shared/contributions/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { shifts } from '../../needs/schema';
import { contributions } from '../schema';
import { authorize } from '../policy';
import { openNeed } from '../rules';
import { claimShiftPlace } from '../../needs';

/**
 * Signs the person up for a shift. The place is claimed with one conditional UPDATE
 * (taken < capacity), so a shift of 3 gets 3 people whatever the concurrency.
 */
export async function signUpForShift(actor: Actor | null, shiftId: string, message = ''): Promise<string> {
	const me = await authorize(actor, 'contributions.give');
	const data = parseInput(signUpForShiftSchema, { shiftId, message });
	return db().transaction(async (tx) => {
		const [shift] = await tx.select().from(shifts).where(eq(shifts.id, data.shiftId));
		if (!shift) throw new AppError('not_found', 'error_not_found');
		const { need } = await openNeed(tx, shift.needId, 'volunteers');
		if (shift.startsAt.getTime() < Date.now())
			throw new AppError('conflict', 'contributions_error_shift_past');
		const [c] = await tx
			.insert(contributions)
			.values({
				projectId: need.projectId,
				needId: need.id,
				kind: 'volunteers',
				contributorId: me.id,
				status: 'signed_up',
				shiftId: data.shiftId,
				message: data.message
			})
			.onConflictDoNothing()
			.returning({ id: contributions.id });
		if (!c) throw new AppError('conflict', 'contributions_error_already_signed_up');
		if (!(await claimShiftPlace(tx, data.shiftId)))
			throw new AppError('conflict', 'contributions_error_shift_full');
		return c.id;
	});
}
