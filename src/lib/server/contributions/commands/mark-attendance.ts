import { eq } from 'drizzle-orm';
import { markAttendanceSchema } from '$lib/shared/contributions/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { shifts } from '../../needs/schema';
import { setStatus, teamContribution } from '../rules';

/** The team marks a volunteer attended (the shift's hours count) or absent. */
export async function markAttendance(
	actor: Actor | null,
	contributionId: string,
	attended: boolean
): Promise<void> {
	const data = parseInput(markAttendanceSchema, { contributionId, attended });
	await db().transaction(async (tx) => {
		const c = await teamContribution(tx, actor, data.contributionId);
		if (c.kind !== 'volunteers' || !['signed_up', 'attended', 'absent'].includes(c.status))
			throw new AppError('conflict', 'contributions_error_transition');
		const [shift] = await tx.select().from(shifts).where(eq(shifts.id, c.shiftId!));
		// Attendance is a fact about a shift that has begun.
		if (shift.startsAt.getTime() > Date.now())
			throw new AppError('conflict', 'contributions_error_shift_not_started');
		const hours = Math.max(1, Math.round((shift.endsAt.getTime() - shift.startsAt.getTime()) / 3600_000));
		await setStatus(tx, c.id, data.attended ? 'attended' : 'absent', {
			hoursCounted: data.attended ? hours : 0
		});
	});
}
