import { and, eq, sql } from 'drizzle-orm';
import { stageSchema, type StageInput } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../accounts';
import { stages } from '../schema';
import { lockProject, requireTeam } from '../policy';
import { requireAdjustable } from './adjustable';

// Stage add/update/delete share their checks, so they live together.

/** Adds a stage at the end of the project's timeline (team). */
export async function addStage(actor: Actor | null, projectId: string, input: StageInput) {
	const data = stageSchema.parse(input);
	return db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
		requireAdjustable(await lockProject(tx, projectId));
		const [{ next }] = (
			await tx.execute<{ next: number }>(
				sql`SELECT coalesce(max(position), -1) + 1 AS next FROM stages WHERE project_id = ${projectId}`
			)
		).rows;
		const [stage] = await tx
			.insert(stages)
			.values({ ...data, projectId, position: Number(next) })
			.returning();
		return stage;
	});
}

/** Edits a stage (team). */
export async function updateStage(
	actor: Actor | null,
	projectId: string,
	stageId: string,
	input: StageInput
): Promise<void> {
	const data = stageSchema.parse(input);
	await db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
		requireAdjustable(await lockProject(tx, projectId));
		const updated = await tx
			.update(stages)
			.set(data)
			.where(and(eq(stages.id, stageId), eq(stages.projectId, projectId)))
			.returning({ id: stages.id });
		if (!updated.length) throw new AppError('not_found', 'error_not_found');
	});
}

/** Deletes a stage; its needs stay, without a stage (team, before publication). */
export async function deleteStage(actor: Actor | null, projectId: string, stageId: string): Promise<void> {
	await db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
		const p = await lockProject(tx, projectId);
		requireAdjustable(p);
		if (p.status !== 'draft' && p.status !== 'changes_requested')
			throw new AppError('conflict', 'projects_error_stage_published');
		const deleted = await tx
			.delete(stages)
			.where(and(eq(stages.id, stageId), eq(stages.projectId, projectId)))
			.returning({ id: stages.id });
		if (!deleted.length) throw new AppError('not_found', 'error_not_found');
	});
}
