import { sql } from 'drizzle-orm';
import { needSchema, type NeedInput } from '$lib/shared/needs/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { lockProject, requireAdjustable } from '../../projects';
import { needs } from '../schema';
import { authorize } from '../policy';
import { checkStage, columns } from '../rules';

/** Adds a need to a project (team; also after publication: a new need promises nothing yet). */
export async function addNeed(actor: Actor | null, projectId: string, input: NeedInput) {
	const data = parseInput(needSchema, input);
	return db().transaction(async (tx) => {
		await authorize(actor, 'needs.manage', { id: projectId }, tx);
		requireAdjustable(await lockProject(tx, projectId));
		await checkStage(tx, projectId, data.stageId);
		const [{ next }] = (
			await tx.execute<{ next: number }>(
				sql`SELECT coalesce(max(position), -1) + 1 AS next FROM needs WHERE project_id = ${projectId}`
			)
		).rows;
		const [need] = await tx
			.insert(needs)
			.values({ ...columns(data), projectId, position: Number(next) })
			.returning();
		return need;
	});
}
