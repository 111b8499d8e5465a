// The audit log as administrators read it: each row with its actor's and target's names. The log itself
// (platform/audit.ts) knows no domain; this reading joins the accounts' and territories' tables.
import { and, count, desc, eq, like, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { auditLog } from '../platform/schema';
import { db } from '../db/client';
import { users } from './schema';
import { territories, themes } from '../territories/schema';
import { requireAdmin } from './policy';
import type { Actor } from './actor';

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
