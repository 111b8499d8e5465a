import { and, eq, isNull, sql } from 'drizzle-orm';
import { db, type Tx } from '../../db/client';
import { AppError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { users, moderatorAssignments } from '../schema';
import { territories } from '../../territories/schema';
import { requireAdmin } from '../policy';
import type { Actor } from '../actor';
import { countAdmins } from '../queries';
import type { RequestContext } from '../context';

async function liveUser(tx: Tx, userId: string) {
	const [u] = await tx
		.select()
		.from(users)
		.where(and(eq(users.id, userId), isNull(users.deletedAt)));
	if (!u) throw new AppError('not_found', 'error_not_found');
	return u;
}

/** Makes a person moderator of a territory (and so of its descendants). Administrators only. */
export async function grantModerator(
	actor: Actor | null,
	userId: string,
	territoryId: string,
	ctx: RequestContext
) {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		await liveUser(tx, userId);
		const [t] = await tx
			.select({ id: territories.id })
			.from(territories)
			.where(eq(territories.id, territoryId));
		if (!t) throw new AppError('validation', 'form_error_summary', { territoryId: 'form_error_invalid' });
		const inserted = await tx
			.insert(moderatorAssignments)
			.values({ userId, territoryId, grantedBy: admin.id })
			.onConflictDoNothing()
			.returning();
		if (inserted.length)
			await audit(tx, {
				actorId: admin.id,
				action: 'roles.moderator_granted',
				targetType: 'user',
				targetId: userId,
				data: { territoryId },
				ip: ctx.ip
			});
	});
}

/** Removes a moderator role. Administrators only. */
export async function revokeModerator(
	actor: Actor | null,
	userId: string,
	territoryId: string,
	ctx: RequestContext
) {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		const removed = await tx
			.delete(moderatorAssignments)
			.where(and(eq(moderatorAssignments.userId, userId), eq(moderatorAssignments.territoryId, territoryId)))
			.returning();
		if (removed.length)
			await audit(tx, {
				actorId: admin.id,
				action: 'roles.moderator_revoked',
				targetType: 'user',
				targetId: userId,
				data: { territoryId },
				ip: ctx.ip
			});
	});
}

/** Grants or removes the administrator role; the last administrator cannot be removed. Administrators only. */
export async function setAdministrator(
	actor: Actor | null,
	userId: string,
	value: boolean,
	ctx: RequestContext
) {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		const u = await liveUser(tx, userId);
		if (u.isAdmin === value) return;
		// Lock the administrators so two concurrent removals cannot leave none.
		await tx.execute(sql`SELECT id FROM users WHERE is_admin FOR UPDATE`);
		if (!value && (await countAdmins(tx)) <= 1) throw new AppError('conflict', 'accounts_error_last_admin');
		await tx.update(users).set({ isAdmin: value }).where(eq(users.id, userId));
		await audit(tx, {
			actorId: admin.id,
			action: value ? 'roles.admin_granted' : 'roles.admin_revoked',
			targetType: 'user',
			targetId: userId,
			ip: ctx.ip
		});
	});
}
