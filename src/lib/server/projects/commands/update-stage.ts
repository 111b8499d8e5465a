import { and, eq } from 'drizzle-orm';
import { stageRefSchema, stageSchema, type StageInput } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { stages } from '../schema';
import { authorize, lockProject } from '../policy';
import { requireAdjustable } from '../rules';

/** Edits a stage (team). */
export async function updateStage(
	actor: Actor | null,
	projectId: string,
	stageId: string,
	input: StageInput
): Promise<void> {
	parseInput(stageRefSchema, { stageId });
	const data = parseInput(stageSchema, input);
	await db().transaction(async (tx) => {
		await authorize(actor, 'project.manage', { id: projectId }, tx);
		requireAdjustable(await lockProject(tx, projectId));
		const updated = await tx
			.update(stages)
			.set(data)
			.where(and(eq(stages.id, stageId), eq(stages.projectId, projectId)))
			.returning({ id: stages.id });
		if (!updated.length) throw new AppError('not_found', 'error_not_found');
	});
}
