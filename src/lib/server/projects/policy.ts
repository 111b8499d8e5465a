import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { AppError } from '../platform/errors';
import { requireActor, canModerateTerritory, type Actor } from '../accounts';
import { projects, projectMembers } from './schema';
import { publicStatuses, type ProjectStatus } from '$lib/shared/projects/enums';

export type ProjectRow = typeof projects.$inferSelect;

/** Loads a project for an update, locking its row for the rest of the transaction. */
export async function lockProject(exec: Executor, projectId: string): Promise<ProjectRow> {
	const [p] = await exec.select().from(projects).where(eq(projects.id, projectId)).for('update');
	if (!p) throw new AppError('not_found', 'error_not_found');
	return p;
}

/** The person's role in the project's team, if any. */
export async function teamRole(
	exec: Executor,
	actor: Actor | null,
	projectId: string
): Promise<'owner' | 'editor' | null> {
	if (!actor) return null;
	const [m] = await exec
		.select({ role: projectMembers.role })
		.from(projectMembers)
		.where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, actor.id)));
	return m?.role ?? null;
}

/** A member of the project's team, or `forbidden`. */
export async function requireTeam(exec: Executor, actor: Actor | null, projectId: string): Promise<Actor> {
	const a = requireActor(actor);
	if (!(await teamRole(exec, a, projectId))) throw new AppError('forbidden', 'error_forbidden');
	return a;
}

/** The project's owner, or `forbidden`. */
export async function requireOwner(exec: Executor, actor: Actor | null, projectId: string): Promise<Actor> {
	const a = requireActor(actor);
	if ((await teamRole(exec, a, projectId)) !== 'owner') throw new AppError('forbidden', 'error_forbidden');
	return a;
}

/**
 * Whether the person may handle the project's money (confirm that an offline gift arrived): its owner
 * or an administrator. Pages ask it to show the action; the command checks the same rule.
 */
export async function canHandleMoney(
	exec: Executor,
	actor: Actor | null,
	projectId: string
): Promise<boolean> {
	if (!actor) return false;
	return actor.isAdmin || (await teamRole(exec, actor, projectId)) === 'owner';
}

/** Whether the person may manage the team (remove an editor): its owner, as requireOwner demands. */
export async function canManageTeam(
	exec: Executor,
	actor: Actor | null,
	projectId: string
): Promise<boolean> {
	return (await teamRole(exec, actor, projectId)) === 'owner';
}

/** True when the project is visible to everyone. */
export function isPublic(p: Pick<ProjectRow, 'status' | 'publishedAt'>, now = new Date()): boolean {
	return (publicStatuses as readonly string[]).includes(p.status) && !!p.publishedAt && p.publishedAt <= now;
}

/** Team, moderators of its territory and administrators see a project in every state; others only when public. */
export async function canSeeProject(exec: Executor, actor: Actor | null, p: ProjectRow): Promise<boolean> {
	if (isPublic(p)) return true;
	if (!actor) return false;
	if (await teamRole(exec, actor, p.id)) return true;
	return canModerateTerritory(exec, actor, p.territoryId);
}

/** Content (texts, stages, needs) can be edited freely only before review. */
export function isEditable(status: ProjectStatus): boolean {
	return status === 'draft' || status === 'changes_requested';
}

/** Refuses when the project is not in an editable state. */
export function requireEditable(p: ProjectRow): void {
	if (!isEditable(p.status)) throw new AppError('conflict', 'projects_error_not_editable');
}
