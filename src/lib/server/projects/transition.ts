import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { AppError } from '../platform/errors';
import { projects, projectTransitions } from './schema';
import { transitions, type ProjectStatus } from '$lib/shared/projects/enums';
import type { ProjectRow } from './policy';

/**
 * Moves a (locked) project to `to`, refusing moves the lifecycle does not allow, and records
 * who, when, from, to and why. Extra columns (publishedAt…) are set in the same update.
 */
export async function moveProject(
	tx: Tx,
	p: ProjectRow,
	to: ProjectStatus,
	actorId: string | null,
	reason = '',
	extra: Partial<typeof projects.$inferInsert> = {}
): Promise<void> {
	if (!transitions[p.status].includes(to)) throw new AppError('conflict', 'projects_error_transition');
	await tx
		.update(projects)
		.set({ ...extra, status: to, updatedAt: new Date() })
		.where(eq(projects.id, p.id));
	await tx
		.insert(projectTransitions)
		.values({ projectId: p.id, fromStatus: p.status, toStatus: to, actorId, reason });
}
