import { definePolicy } from '../platform/define-policy';
import type { Executor } from '../db/client';
import type { Actor } from '../accounts';
import { can as projects } from '../projects';

type ProjectRef = { id: string };

/**
 * The contributions domain's rules:
 * - `contributions.give`: any signed-in person gives time, material or expertise (to an open need);
 * - `contribution.withdraw`: only its contributor cancels their sign-up, pledge or offer;
 * - `contributions.confirm`: the project's team marks attendance, receipt of items, decides offers;
 * - `contributions.view`: the project's team sees every contribution (list and CSV) and thanks contributors.
 */
export const contributionsPolicy = definePolicy({
	'contributions.give': (actor: Actor | null) => actor !== null,
	'contribution.withdraw': (actor: Actor | null, c: { contributorId: string }) =>
		actor !== null && c.contributorId === actor.id,
	'contributions.confirm': (actor: Actor | null, project: ProjectRef, exec: Executor) =>
		projects(actor, 'project.manage', project, exec),
	'contributions.view': (actor: Actor | null, project: ProjectRef, exec: Executor) =>
		projects(actor, 'project.manage', project, exec)
});

/** May the person do `rule`? (see contributionsPolicy) */
export const can = contributionsPolicy.can;
/** The person when `rule` allows it, or `unauthenticated`/`forbidden`. */
export const authorize = contributionsPolicy.authorize;
export type ContributionsRule = (typeof contributionsPolicy.rules)[number];
