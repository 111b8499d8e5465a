import { eq } from 'drizzle-orm';
import { changePasswordSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { users } from '../schema';
import { requireActor } from '../policy';
import type { Actor } from '../actor';
import { hashPassword, passwordProblem, verifyPassword } from '../password';
import { createSession, deleteUserSessions } from '../sessions';
import { sendPasswordChangedMail } from '../mails';
import type { RequestContext } from '../context';

/**
 * Changes the signed-in person's password after checking the current one. Every session ends,
 * and a new one is opened for this device; returns its token.
 */
export async function changePassword(
	actor: Actor | null,
	input: { currentPassword: string; newPassword: string },
	ctx: RequestContext
): Promise<string> {
	const me = requireActor(actor);
	const data = parseInput(changePasswordSchema, input);
	const [u] = await db().select().from(users).where(eq(users.id, me.id));
	if (!(await verifyPassword(u.passwordHash, data.currentPassword)))
		throw fieldError('currentPassword', 'accounts_error_current_password');
	const problem = passwordProblem(data.newPassword, u);
	if (problem) throw fieldError('newPassword', problem);
	const passwordHash = await hashPassword(data.newPassword);
	const token = await db().transaction(async (tx) => {
		await tx.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, me.id));
		await deleteUserSessions(tx, me.id);
		await audit(tx, {
			actorId: me.id,
			action: 'accounts.password_changed',
			targetType: 'user',
			targetId: me.id,
			ip: ctx.ip
		});
		return createSession(tx, me.id, ctx.userAgent);
	});
	await sendPasswordChangedMail(u.email, u.locale, u.displayName);
	return token;
}
