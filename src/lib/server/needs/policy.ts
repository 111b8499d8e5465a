import { definePolicy } from '../platform/define-policy';
import type { Executor } from '../db/client';
import type { Actor } from '../accounts';
import { can as projects } from '../projects';

/**
 * The needs domain's rule: `needs.manage` (add, edit, delete needs and shifts of a project) belongs to
 * the project's team, the same people as `project.manage`.
 */
export const needsPolicy = definePolicy({
	'needs.manage': (actor: Actor | null, project: { id: string }, exec: Executor) =>
		projects(actor, 'project.manage', project, exec)
});

/** May the person do `rule` to the project's needs? (see needsPolicy) */
export const can = needsPolicy.can;
/** The person when `rule` allows it, or `unauthenticated`/`forbidden`. */
export const authorize = needsPolicy.authorize;
export type NeedsRule = (typeof needsPolicy.rules)[number];
