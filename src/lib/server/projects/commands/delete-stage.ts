import { and, eq } from 'drizzle-orm';
import { stageRefSchema } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { stages } from '../schema';
import { authorize, lockProject } from '../policy';
import { requireAdjustable } from '../rules';

/** Deletes a stage; its needs stay, without a stage (team, before publication). */
export async function deleteStage(actor: Actor | null, projectId: string, stageId: string): Promise<void> {
	parseInput(stageRefSchema, { stageId });
	await db().transaction(async (tx) => {
		await authorize(actor, 'project.manage', { id: projectId }, tx);
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
