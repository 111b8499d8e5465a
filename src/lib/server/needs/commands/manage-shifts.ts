import { and, eq, sql } from 'drizzle-orm';
import { shiftSchema, type ShiftInput } from '$lib/shared/projects/schemas';
import { db, type Tx } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import type { Actor } from '../../accounts';
import { lockProject, requireTeam, requireAdjustable } from '../../projects';
import { needs, shifts } from '../schema';

async function volunteerNeed(tx: Tx, projectId: string, needId: string) {
	const [n] = await tx
		.select()
		.from(needs)
		.where(and(eq(needs.id, needId), eq(needs.projectId, projectId)));
	if (!n) throw new AppError('not_found', 'error_not_found');
	if (n.kind !== 'volunteers') throw new AppError('conflict', 'needs_error_not_volunteers');
	return n;
}

function times(data: ReturnType<typeof shiftSchema.parse>) {
	// Times are local to the project's place; stored as given, in UTC, and shown back the same way.
	return {
		startsAt: new Date(`${data.date}T${data.startTime}:00Z`),
		endsAt: new Date(`${data.date}T${data.endTime}:00Z`)
	};
}

// Shift add/update/delete live together: they share the capacity rule.

/** Adds a shift to a volunteers need (team). */
export async function addShift(actor: Actor | null, projectId: string, needId: string, input: ShiftInput) {
	const data = shiftSchema.parse(input);
	return db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
		requireAdjustable(await lockProject(tx, projectId));
		await volunteerNeed(tx, projectId, needId);
		const [shift] = await tx
			.insert(shifts)
			.values({ needId, ...times(data), place: data.place, capacity: data.capacity })
			.returning();
		return shift;
	});
}

/** Edits a shift; its capacity can never go below the people already signed up (conditional update). */
export async function updateShift(
	actor: Actor | null,
	projectId: string,
	needId: string,
	shiftId: string,
	input: ShiftInput
): Promise<void> {
	const data = shiftSchema.parse(input);
	await db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
		requireAdjustable(await lockProject(tx, projectId));
		await volunteerNeed(tx, projectId, needId);
		const updated = await tx
			.update(shifts)
			.set({ ...times(data), place: data.place, capacity: data.capacity })
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

/** Deletes a shift nobody has signed up for (team). */
export async function deleteShift(
	actor: Actor | null,
	projectId: string,
	needId: string,
	shiftId: string
): Promise<void> {
	await db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
		requireAdjustable(await lockProject(tx, projectId));
		await volunteerNeed(tx, projectId, needId);
		const deleted = await tx
			.delete(shifts)
			.where(and(eq(shifts.id, shiftId), eq(shifts.needId, needId), eq(shifts.taken, 0)))
			.returning({ id: shifts.id });
		if (!deleted.length) throw new AppError('conflict', 'needs_error_has_contributions');
	});
}
