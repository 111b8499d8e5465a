import { and, count, desc, eq, like, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { auditLog } from './schema';
import { emailPattern } from './mailer';
import { db, type Executor } from '../db/client';
import { users } from '../accounts/schema';
import { territories, themes } from '../territories/schema';
import { requireAdmin } from '../accounts/policy';
import type { Actor } from '../accounts/actor';

export interface AuditEntry {
	actorId?: string | null;
	action: string;
	targetType?: string;
	targetId?: string;
	data?: Record<string, unknown>;
	ip?: string | null;
}

/** Appends one row to the audit log (inside the caller's transaction when given one). */
export async function audit(exec: Executor, entry: AuditEntry): Promise<void> {
	await exec.insert(auditLog).values({
		actorId: entry.actorId ?? null,
		action: entry.action,
		targetType: entry.targetType,
		targetId: entry.targetId,
		data: entry.data ?? {},
		ip: entry.ip ?? null
	});
}

const AUDIT_PAGE_SIZE = 50;

/** Escapes LIKE wildcards so a typed prefix matches literally. */
function likePrefix(prefix: string): string {
	return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The audit log for administrators, newest first, paginated, optionally filtered by an action prefix
 * (`roles.`, `territories.created`…). Rows carry the actor's and the target's display names.
 */
export async function listAudit(actor: Actor | null, options: { page?: number; action?: string } = {}) {
	requireAdmin(actor);
	const page = Math.max(1, Math.floor(options.page ?? 1) || 1);
	const prefix = options.action?.trim();
	const where = prefix ? like(auditLog.action, likePrefix(prefix)) : undefined;
	const actorUser = alias(users, 'actor_user');
	const targetUser = alias(users, 'target_user');
	const rows = await db()
		.select({
			id: auditLog.id,
			createdAt: auditLog.createdAt,
			action: auditLog.action,
			actorId: auditLog.actorId,
			actorName: actorUser.displayName,
			actorDeleted: sql<boolean>`${actorUser.deletedAt} IS NOT NULL`,
			targetType: auditLog.targetType,
			targetId: auditLog.targetId,
			targetUserName: targetUser.displayName,
			targetNameFr: sql<string | null>`coalesce(${territories.nameFr}, ${themes.nameFr})`,
			targetNameEn: sql<string | null>`coalesce(${territories.nameEn}, ${themes.nameEn})`,
			ip: auditLog.ip
		})
		.from(auditLog)
		.leftJoin(actorUser, eq(actorUser.id, auditLog.actorId))
		.leftJoin(
			targetUser,
			and(eq(auditLog.targetType, 'user'), sql`${targetUser.id}::text = ${auditLog.targetId}`)
		)
		.leftJoin(
			territories,
			and(eq(auditLog.targetType, 'territory'), sql`${territories.id}::text = ${auditLog.targetId}`)
		)
		.leftJoin(themes, and(eq(auditLog.targetType, 'theme'), sql`${themes.id}::text = ${auditLog.targetId}`))
		.where(where)
		.orderBy(desc(auditLog.createdAt), desc(auditLog.id))
		.limit(AUDIT_PAGE_SIZE)
		.offset((page - 1) * AUDIT_PAGE_SIZE);
	const [{ total }] = await db().select({ total: count() }).from(auditLog).where(where);
	// The first segment of every action present, for the filter's choices.
	const prefixes = await db()
		.selectDistinct({ prefix: sql<string>`split_part(${auditLog.action}, '.', 1)` })
		.from(auditLog)
		.orderBy(sql`1`);
	return {
		rows,
		page,
		pageSize: AUDIT_PAGE_SIZE,
		total: Number(total),
		prefixes: prefixes.map((p) => p.prefix)
	};
}

/** How long audit rows are kept (the privacy page states it; a nightly job deletes older rows). */
export const AUDIT_RETENTION_DAYS = 365;

/** Deletes audit rows older than the retention period. */
export async function purgeOldAudit(exec: Executor): Promise<number> {
	const r = await exec.execute(sql`
		DELETE FROM audit_log WHERE created_at < now() - make_interval(days => ${AUDIT_RETENTION_DAYS}) RETURNING id`);
	return r.rows.length;
}

/** Replaces the address (matched whole, any case) by `replacement` in every string deep inside a JSON value. */
function scrub(value: unknown, address: RegExp, replacement: string): unknown {
	if (typeof value === 'string')
		return value.replace(address, (_m, before: string, after: string) => before + replacement + after);
	if (Array.isArray(value)) return value.map((v) => scrub(v, address, replacement));
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, address, replacement)]));
	return value;
}

/**
 * Account deletion: the audit log keeps what was done and when, but no longer says by whom in clear.
 * The e-mail address is replaced by the account's pseudonym wherever it appears in `data` (failed
 * sign-ins, invitations sent to it), and the IP addresses of the person's own rows are erased.
 */
export async function pseudonymizeAudit(
	exec: Executor,
	person: { userId: string; email: string; pseudonym: string }
): Promise<void> {
	const pattern = emailPattern(person.email);
	const rows = await exec.execute<{ id: number; data: Record<string, unknown> }>(sql`
		SELECT id, data FROM audit_log WHERE data::text ~* ${pattern}`);
	for (const row of rows.rows) {
		const data = scrub(row.data, new RegExp(pattern, 'gi'), person.pseudonym) as Record<string, unknown>;
		await exec
			.update(auditLog)
			.set({ data })
			.where(eq(auditLog.id, Number(row.id)));
	}
	await exec
		.update(auditLog)
		.set({ ip: null })
		.where(
			or(
				eq(auditLog.actorId, person.userId),
				and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, person.userId))
			)
		);
}
