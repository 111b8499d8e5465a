import { and, asc, eq, ilike, isNull, or, sql, count, countDistinct, desc } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import { users, userInterests, moderatorAssignments, sessions } from './schema';
import { auditLog } from '../platform/schema';
import type { Actor } from './actor';
import { requireActor, requireAdmin } from './policy';
import { exportPersonalData } from '../platform/personal-data';

/** A person by e-mail (lower-cased), live accounts only. */
export async function findUserByEmail(exec: Executor, email: string) {
	const [u] = await exec
		.select()
		.from(users)
		.where(and(eq(users.email, email.toLowerCase()), isNull(users.deletedAt)));
	return u;
}

/** The signed-in person's own profile, with interests and moderated territories. */
export async function getMyProfile(actor: Actor | null) {
	const me = requireActor(actor);
	// Both at once: two independent reads, one round trip of waiting instead of two.
	const [[u], interests] = await Promise.all([
		db().select().from(users).where(eq(users.id, me.id)),
		db().select({ themeId: userInterests.themeId }).from(userInterests).where(eq(userInterests.userId, me.id))
	]);
	return {
		id: u.id,
		email: u.email,
		displayName: u.displayName,
		bio: u.bio,
		skills: u.skills,
		homeTerritoryId: u.homeTerritoryId,
		locale: u.locale,
		isAdmin: u.isAdmin,
		createdAt: u.createdAt,
		interests: interests.map((i) => i.themeId)
	};
}

/** Everything Parvis holds about the signed-in person, for "download my data" (GDPR art. 15 and 20). */
export async function exportMyData(actor: Actor | null) {
	const me = requireActor(actor);
	const [u] = await db().select().from(users).where(eq(users.id, me.id));
	const interests = await db().execute<{ slug: string }>(
		sql`SELECT t.slug FROM user_interests i JOIN themes t ON t.id = i.theme_id WHERE i.user_id = ${me.id}`
	);
	const roles = await db().execute<{ slug: string }>(
		sql`SELECT t.slug FROM moderator_assignments m JOIN territories t ON t.id = m.territory_id WHERE m.user_id = ${me.id}`
	);
	const mySessions = await db()
		.select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
		.from(sessions)
		.where(eq(sessions.userId, me.id));
	// What the person gave (all four kinds) and wrote, with the project it went to.
	const given = await db().execute<Record<string, unknown>>(sql`
		SELECT c.kind, c.status, p.title AS project, n.title AS need, c.amount_minor, c.tip_minor, c.currency,
			c.payment_method, c.anonymous, c.quantity, c.material_mode, c.return_by, c.hours, c.hours_counted,
			c.message, c.created_at
		FROM contributions c JOIN projects p ON p.id = c.project_id JOIN needs n ON n.id = c.need_id
		WHERE c.contributor_id = ${me.id} ORDER BY c.created_at`);
	const projectsOwned = await db().execute<{ slug: string; title: string; role: string }>(sql`
		SELECT p.slug, p.title, m.role FROM project_members m JOIN projects p ON p.id = m.project_id WHERE m.user_id = ${me.id}`);
	const activity = await db()
		.select({ action: auditLog.action, createdAt: auditLog.createdAt, ip: auditLog.ip })
		.from(auditLog)
		.where(
			or(eq(auditLog.actorId, me.id), and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, me.id)))
		)
		.orderBy(desc(auditLog.createdAt))
		.limit(1000);
	// What other domains keep (tax receipts with the name and address printed, invitations to the address).
	const elsewhere = await exportPersonalData(db(), { userId: me.id, email: u.email });
	return {
		exportedAt: new Date().toISOString(),
		account: {
			id: u.id,
			email: u.email,
			emailVerifiedAt: u.emailVerifiedAt,
			displayName: u.displayName,
			bio: u.bio,
			skills: u.skills,
			homeTerritoryId: u.homeTerritoryId,
			locale: u.locale,
			isAdmin: u.isAdmin,
			createdAt: u.createdAt
		},
		interests: interests.rows.map((r) => r.slug),
		moderatorOf: roles.rows.map((r) => r.slug),
		sessions: mySessions,
		activity,
		contributions: given.rows,
		projects: projectsOwned.rows,
		...elsewhere
	};
}

const PAGE_SIZE = 25;

/** Administrators list people, with a search on name or e-mail. */
export async function listUsers(actor: Actor | null, options: { q?: string; page?: number } = {}) {
	requireAdmin(actor);
	const page = Math.max(1, options.page ?? 1);
	const q = options.q?.trim();
	const where = and(
		isNull(users.deletedAt),
		q ? or(ilike(users.email, `%${q}%`), ilike(users.displayName, `%${q}%`)) : undefined
	);
	const rows = await db()
		.select({
			id: users.id,
			email: users.email,
			displayName: users.displayName,
			isAdmin: users.isAdmin,
			emailVerifiedAt: users.emailVerifiedAt,
			createdAt: users.createdAt
		})
		.from(users)
		.where(where)
		.orderBy(asc(users.displayName), asc(users.id))
		.limit(PAGE_SIZE)
		.offset((page - 1) * PAGE_SIZE);
	const [{ total }] = await db().select({ total: count() }).from(users).where(where);
	return { rows, page, pageSize: PAGE_SIZE, total };
}

/** One person for the administration page, with their moderator territories. */
export async function getUserForAdmin(actor: Actor | null, userId: string) {
	requireAdmin(actor);
	const [u] = await db().select().from(users).where(eq(users.id, userId));
	if (!u) return undefined;
	const moderates = await db()
		.select({ territoryId: moderatorAssignments.territoryId })
		.from(moderatorAssignments)
		.where(eq(moderatorAssignments.userId, userId));
	return {
		id: u.id,
		email: u.email,
		displayName: u.displayName,
		isAdmin: u.isAdmin,
		deletedAt: u.deletedAt,
		emailVerifiedAt: u.emailVerifiedAt,
		createdAt: u.createdAt,
		moderatorOf: moderates.map((m) => m.territoryId)
	};
}

/** Counts administrators (setup and the last-admin rule). */
export async function countAdmins(exec: Executor): Promise<number> {
	const [{ n }] = await exec
		.select({ n: count() })
		.from(users)
		.where(and(eq(users.isAdmin, true), isNull(users.deletedAt)));
	return Number(n);
}

/** Counts the live people who moderate at least one territory (administrators). */
export async function countModerators(actor: Actor | null): Promise<number> {
	requireAdmin(actor);
	const [{ n }] = await db()
		.select({ n: countDistinct(moderatorAssignments.userId) })
		.from(moderatorAssignments)
		.innerJoin(users, and(eq(users.id, moderatorAssignments.userId), isNull(users.deletedAt)));
	return Number(n);
}
