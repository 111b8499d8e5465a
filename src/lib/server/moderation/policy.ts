import { definePolicy } from '../platform/define-policy';
import type { Executor } from '../db/client';
import { can as accounts, type Actor } from '../accounts';
import { can as projects } from '../projects';

/**
 * The moderation domain's rules:
 * - `criteria.manage`: administrators edit, order and archive the review criteria;
 * - `project.submit`: the project's team submits it for review;
 * - `project.review`: moderators of the project's territory (or an ancestor) and administrators decide.
 */
export const moderationPolicy = definePolicy({
	'criteria.manage': (actor: Actor | null) => accounts(actor, 'accounts.administer'),
	'project.submit': (actor: Actor | null, project: { id: string }, exec: Executor) =>
		projects(actor, 'project.manage', project, exec),
	'project.review': (actor: Actor | null, project: { territoryId: string }, exec: Executor) =>
		accounts(actor, 'territory.moderate', { id: project.territoryId }, exec)
});

/** May the person do `rule`? (see moderationPolicy) */
export const can = moderationPolicy.can;
/** The person when `rule` allows it, or `unauthenticated`/`forbidden`. */
export const authorize = moderationPolicy.authorize;
export type ModerationRule = (typeof moderationPolicy.rules)[number];
