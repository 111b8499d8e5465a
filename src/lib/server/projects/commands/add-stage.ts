import { sql } from 'drizzle-orm';
import { stageSchema, type StageInput } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { stages } from '../schema';
import { authorize, lockProject } from '../policy';
import { requireAdjustable } from '../rules';

/** Adds a stage at the end of the project's timeline (team). */
export async function addStage(actor: Actor | null, projectId: string, input: StageInput) {
	const data = parseInput(stageSchema, input);
	return db().transaction(async (tx) => {
		await authorize(actor, 'project.manage', { id: projectId }, tx);
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
