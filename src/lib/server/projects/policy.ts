import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { AppError } from '../platform/errors';
import { definePolicy } from '../platform/define-policy';
import { can as accounts, type Actor } from '../accounts';
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

/** A member of the project's team, or `unauthenticated`/`forbidden` (the rule `project.manage`). */
export async function requireTeam(exec: Executor, actor: Actor | null, projectId: string): Promise<Actor> {
	return authorize(actor, 'project.manage', { id: projectId }, exec);
}

/** The project's owner, or `unauthenticated`/`forbidden` (the rule `project.manage_team`). */
export async function requireOwner(exec: Executor, actor: Actor | null, projectId: string): Promise<Actor> {
	return authorize(actor, 'project.manage_team', { id: projectId }, exec);
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
export async function canSeeProject(
	exec: Executor,
	actor: Actor | null,
	p: Pick<ProjectRow, 'id' | 'territoryId' | 'status' | 'publishedAt'>
): Promise<boolean> {
	return can(actor, 'project.see', p, exec);
}

/** Content (texts, stages, needs) can be edited freely only before review. */
export function isEditable(status: ProjectStatus): boolean {
	return status === 'draft' || status === 'changes_requested';
}

/** Refuses when the project is not in an editable state. */
export function requireEditable(p: ProjectRow): void {
	if (!isEditable(p.status)) throw new AppError('conflict', 'projects_error_not_editable');
}

type ProjectRef = { id: string };
type PlacedProject = { id: string; territoryId: string };

/**
 * The projects domain's rules, named once for commands and pages:
 * - `project.see`: anyone when public; otherwise its team, moderators of its territory, administrators;
 * - `project.manage`: its team (owner and editors) edits texts, stages, needs, shifts, cover, sees contributions;
 * - `project.manage_team`: its owner removes editors;
 * - `project.cancel`: its owner, or a moderator of its territory (or an ancestor), or an administrator.
 */
export const projectsPolicy = definePolicy({
	'project.see': async (
		actor: Actor | null,
		p: Pick<ProjectRow, 'id' | 'territoryId' | 'status' | 'publishedAt'>,
		exec: Executor
	) => {
		if (isPublic(p)) return true;
		if (!actor) return false;
		if (await teamRole(exec, actor, p.id)) return true;
		return accounts(actor, 'territory.moderate', { id: p.territoryId }, exec);
	},
	'project.manage': async (actor: Actor | null, p: ProjectRef, exec: Executor) =>
		(await teamRole(exec, actor, p.id)) !== null,
	'project.manage_team': async (actor: Actor | null, p: ProjectRef, exec: Executor) =>
		(await teamRole(exec, actor, p.id)) === 'owner',
	'project.cancel': async (actor: Actor | null, p: PlacedProject, exec: Executor) =>
		(await teamRole(exec, actor, p.id)) === 'owner' ||
		accounts(actor, 'territory.moderate', { id: p.territoryId }, exec)
});

/** May the person do `rule` to the project? (see projectsPolicy) */
export const can = projectsPolicy.can;
/** The person when `rule` allows it, or `unauthenticated`/`forbidden`. */
export const authorize = projectsPolicy.authorize;
export type ProjectsRule = (typeof projectsPolicy.rules)[number];
