import { and, eq, ne, sql } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import { newToken, hashToken } from '../platform/tokens';
import { sessions } from './schema';
import type { Actor } from './actor';

/** A session ends after 14 days without use, and 30 days after sign-in whatever happens. */
export const SESSION_IDLE_MS = 14 * 24 * 3600 * 1000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600 * 1000;
/** lastSeenAt is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export const SESSION_COOKIE = 'parvis_session';

/** Creates a session for `userId` and returns the cookie token (only its hash is stored). */
export async function createSession(
	exec: Executor,
	userId: string,
	userAgent?: string | null
): Promise<string> {
	const token = newToken();
	await exec.insert(sessions).values({
		id: hashToken(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_MS),
		userAgent: userAgent?.slice(0, 300) ?? null
	});
	return token;
}

/** Resolves a cookie token to the signed-in person, or null when the session is unknown or expired. */
export async function validateSession(token: string | undefined): Promise<Actor | null> {
	if (!token || token.length > 100) return null;
	const id = hashToken(token);
	const result = await db().execute<{
		user_id: string;
		email: string;
		display_name: string;
		locale: 'fr' | 'en';
		is_admin: boolean;
		last_seen_at: string | Date;
		moderator_of: string[] | null;
	}>(sql`
		SELECT u.id AS user_id, u.email, u.display_name, u.locale, u.is_admin, s.last_seen_at,
			(SELECT array_agg(m.territory_id::text) FROM moderator_assignments m WHERE m.user_id = u.id) AS moderator_of
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id = ${id} AND s.expires_at > now()
			AND s.last_seen_at > now() - make_interval(secs => ${SESSION_IDLE_MS / 1000})
			AND u.deleted_at IS NULL`);
	const row = result.rows[0];
	if (!row) return null;
	if (Date.now() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
		await db().update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id));
	}
	return {
		id: row.user_id,
		email: row.email,
		displayName: row.display_name,
		locale: row.locale,
		isAdmin: row.is_admin,
		moderatorOf: row.moderator_of ?? [],
		sessionId: id
	};
}

/** Ends one session (sign-out). */
export async function deleteSession(token: string): Promise<void> {
	await db()
		.delete(sessions)
		.where(eq(sessions.id, hashToken(token)));
}

/** Ends every session of a person, except `keepSessionId` when given. */
export async function deleteUserSessions(
	exec: Executor,
	userId: string,
	keepSessionId?: string
): Promise<void> {
	await exec
		.delete(sessions)
		.where(
			keepSessionId
				? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId))
				: eq(sessions.userId, userId)
		);
}

/** Deletes sessions that can no longer be used (expired, or idle too long); run nightly. */
export async function purgeEndedSessions(exec: Executor): Promise<number> {
	const r = await exec.execute(sql`
		DELETE FROM sessions
		WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => ${SESSION_IDLE_MS / 1000})
		RETURNING id`);
	return r.rows.length;
}
