import { eq, sql } from 'drizzle-orm';
import { setAdministratorSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { users } from '../schema';
import { authorize } from '../policy';
import type { Actor } from '../actor';
import { countAdmins } from '../queries';
import { liveUser } from '../users';
import type { RequestContext } from '../context';

/** Grants or removes the administrator role; the last administrator cannot be removed. Administrators only. */
export async function setAdministrator(
	actor: Actor | null,
	userId: string,
	value: boolean,
	ctx: RequestContext
) {
	const admin = await authorize(actor, 'accounts.administer');
	const data = parseInput(setAdministratorSchema, { userId, value });
	await db().transaction(async (tx) => {
		const u = await liveUser(tx, data.userId);
		if (u.isAdmin === data.value) return;
		// Lock the administrators so two concurrent removals cannot leave none.
		await tx.execute(sql`SELECT id FROM users WHERE is_admin FOR UPDATE`);
		if (!data.value && (await countAdmins(tx)) <= 1)
			throw new AppError('conflict', 'accounts_error_last_admin');
		await tx.update(users).set({ isAdmin: data.value }).where(eq(users.id, data.userId));
		await audit(tx, {
			actorId: admin.id,
			action: data.value ? 'roles.admin_granted' : 'roles.admin_revoked',
			targetType: 'user',
			targetId: data.userId,
			ip: ctx.ip
		});
	});
}
