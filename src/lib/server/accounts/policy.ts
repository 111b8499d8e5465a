import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { AppError } from '../platform/errors';
import type { Actor } from './actor';

/** The signed-in person, or `unauthenticated`. */
export function requireActor(actor: Actor | null | undefined): Actor {
	if (!actor) throw new AppError('unauthenticated', 'error_unauthenticated');
	return actor;
}

/** An administrator, or `forbidden`. */
export function requireAdmin(actor: Actor | null | undefined): Actor {
	const a = requireActor(actor);
	if (!a.isAdmin) throw new AppError('forbidden', 'error_forbidden');
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
