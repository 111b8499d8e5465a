import { and, eq } from 'drizzle-orm';
import type { needSchema } from '$lib/shared/needs/schemas';
import type { Tx } from '../db/client';
import { AppError, fieldError } from '../platform/errors';
import { stages } from '../projects/schema';
import { needs } from './schema';

// Checks and mappings shared by the needs and shifts commands.

/** A need as its schema gives it. */
export type ParsedNeed = ReturnType<typeof needSchema.parse>;

/** The columns of a need row for its kind (the other kinds' columns stay null). */
export function columns(n: ParsedNeed) {
	const base = { title: n.title, description: n.description, stageId: n.stageId, kind: n.kind };
	switch (n.kind) {
		case 'money':
			return {
				...base,
				goalMinor: n.goalMinor,
				currency: n.currency,
				campaignModel: n.campaignModel,
				deadline: new Date(`${n.deadline}T23:59:59Z`)
			};
		case 'volunteers':
			return { ...base, role: n.role, skills: n.skills };
		case 'material':
			return {
				...base,
				quantity: n.quantity,
				unit: n.unit,
				materialMode: n.materialMode,
				returnBy: n.materialMode === 'lend' ? n.returnBy : null,
				dropoff: n.dropoff
			};
		case 'expertise':
			return { ...base, skill: n.skill, hours: n.hours };
	}
}

/** Refuses a stage that is not the project's. */
export async function checkStage(tx: Tx, projectId: string, stageId: string | null) {
	if (!stageId) return;
	const [s] = await tx
		.select({ id: stages.id })
		.from(stages)
		.where(and(eq(stages.id, stageId), eq(stages.projectId, projectId)));
	if (!s) throw fieldError('stageId', 'form_error_invalid');
}

/** The project's volunteers need for the shift commands; `not_found` or `conflict` otherwise. */
export async function volunteerNeed(tx: Tx, projectId: string, needId: string) {
	const [n] = await tx
		.select()
		.from(needs)
		.where(and(eq(needs.id, needId), eq(needs.projectId, projectId)));
	if (!n) throw new AppError('not_found', 'error_not_found');
	if (n.kind !== 'volunteers') throw new AppError('conflict', 'needs_error_not_volunteers');
	return n;
}

/** A shift's start and end from its form. */
export function shiftTimes(data: { date: string | null; startTime: string; endTime: string }) {
	// Times are local to the project's place; stored as given, in UTC, and shown back the same way.
	return {
		startsAt: new Date(`${data.date}T${data.startTime}:00Z`),
		endsAt: new Date(`${data.date}T${data.endTime}:00Z`)
	};
}
