import { and, eq } from 'drizzle-orm';
import { memberRefSchema } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor } from '../../accounts';
import { projectMembers } from '../schema';
import { authorize } from '../policy';

/** The owner removes an editor from the team (the owner stays). */
export async function removeMember(actor: Actor | null, projectId: string, userId: string): Promise<void> {
	parseInput(memberRefSchema, { userId });
	await db().transaction(async (tx) => {
		const me = await authorize(actor, 'project.manage_team', { id: projectId }, tx);
		const removed = await tx
			.delete(projectMembers)
			.where(
				and(
					eq(projectMembers.projectId, projectId),
					eq(projectMembers.userId, userId),
					eq(projectMembers.role, 'editor')
				)
			)
			.returning();
		if (!removed.length) throw new AppError('not_found', 'error_not_found');
		await audit(tx, {
			actorId: me.id,
			action: 'projects.editor_removed',
			targetType: 'project',
			targetId: projectId,
			data: { userId }
		});
	});
}
