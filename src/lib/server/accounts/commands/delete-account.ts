import { eq } from 'drizzle-orm';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { users, userInterests, moderatorAssignments, emailTokens } from '../schema';
import { requireActor } from '../policy';
import type { Actor } from '../actor';
import { verifyPassword } from '../password';
import { deleteUserSessions } from '../sessions';
import { countAdmins } from '../queries';
import type { RequestContext } from '../context';

/**
 * Deletes the signed-in person's account by anonymizing it in place: the row stays (so what they wrote
 * and gave keeps its author as "deleted account", and money records stay whole), but the e-mail, name,
 * password, profile, interests, roles and sessions are erased.
 */
export async function deleteAccount(
	actor: Actor | null,
	input: { currentPassword: string },
	ctx: RequestContext
): Promise<void> {
	const me = requireActor(actor);
	const [u] = await db().select().from(users).where(eq(users.id, me.id));
	if (!(await verifyPassword(u.passwordHash, input.currentPassword)))
		throw fieldError('currentPassword', 'accounts_error_current_password');
	await db().transaction(async (tx) => {
		if (u.isAdmin && (await countAdmins(tx)) <= 1)
			throw new AppError('conflict', 'accounts_error_last_admin');
		await tx
			.update(users)
			.set({
				email: `deleted-${u.id}@invalid`,
				displayName: '',
				bio: '',
				skills: [],
				passwordHash: null,
				homeTerritoryId: null,
				isAdmin: false,
				deletedAt: new Date()
			})
			.where(eq(users.id, u.id));
		await tx.delete(userInterests).where(eq(userInterests.userId, u.id));
		await tx.delete(moderatorAssignments).where(eq(moderatorAssignments.userId, u.id));
		await tx.delete(emailTokens).where(eq(emailTokens.userId, u.id));
		await deleteUserSessions(tx, u.id);
		await audit(tx, {
			actorId: u.id,
			action: 'accounts.deleted',
			targetType: 'user',
			targetId: u.id,
			ip: ctx.ip
		});
	});
}
