import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { AppError } from '../platform/errors';
import { definePolicy } from '../platform/define-policy';
import type { Actor } from './actor';

/** The signed-in person, or `unauthenticated`. */
export function requireActor(actor: Actor | null | undefined): Actor {
	if (!actor) throw new AppError('unauthenticated', 'error_unauthenticated');
	return actor;
}

/** True for an administrator (the rule behind `accounts.administer`). */
function isAdmin(actor: Actor | null | undefined): boolean {
	return Boolean(actor?.isAdmin);
}

/** An administrator, or `unauthenticated`/`forbidden` (synchronous form of `accounts.administer`). */
export function requireAdmin(actor: Actor | null | undefined): Actor {
	const a = requireActor(actor);
	if (!isAdmin(a)) throw new AppError('forbidden', 'error_forbidden');
	return a;
}

/** True when the person may moderate content of `territoryId`: an administrator, or a moderator of it or of an ancestor. */
export async function canModerateTerritory(
	exec: Executor,
	actor: Actor | null,
	territoryId: string
): Promise<boolean> {
	if (!actor) return false;
	if (actor.isAdmin) return true;
	if (actor.moderatorOf.length === 0) return false;
	const result = await exec.execute<{ ok: boolean }>(sql`
		WITH RECURSIVE up AS (
			SELECT id, parent_id FROM territories WHERE id = ${territoryId}
			UNION ALL
			SELECT t.id, t.parent_id FROM territories t JOIN up ON t.id = up.parent_id
		)
		SELECT EXISTS (
			SELECT 1 FROM up JOIN moderator_assignments m ON m.territory_id = up.id WHERE m.user_id = ${actor.id}
		) AS ok`);
	return Boolean(result.rows[0]?.ok);
}

/** A moderator of the territory (or an ancestor) or an administrator, or `forbidden`. */
export async function requireModerator(
	exec: Executor,
	actor: Actor | null,
	territoryId: string
): Promise<Actor> {
	const a = requireActor(actor);
	if (!(await canModerateTerritory(exec, a, territoryId))) throw new AppError('forbidden', 'error_forbidden');
	return a;
}

/**
 * The accounts domain's rules: `accounts.administer` (users, roles, the instance's settings: administrators)
 * and `territory.moderate` (a territory, for its moderators, those of an ancestor, and administrators).
 */
export const accountsPolicy = definePolicy({
	'accounts.administer': (actor: Actor | null) => isAdmin(actor),
	'territory.moderate': (actor: Actor | null, territory: { id: string }, exec: Executor) =>
		canModerateTerritory(exec, actor, territory.id)
});

/** May the person do `rule` to `resource`? (see accountsPolicy) */
export const can = accountsPolicy.can;
/** The person when `rule` allows it, or `unauthenticated`/`forbidden`. */
export const authorize = accountsPolicy.authorize;
export type AccountsRule = (typeof accountsPolicy.rules)[number];
