import { eq } from 'drizzle-orm';
import { resetPasswordSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { hit } from '../../platform/rate-limit';
import { users } from '../schema';
import { findUserByEmail } from '../queries';
import { hashPassword, passwordProblem } from '../password';
import { deleteUserSessions } from '../sessions';
import { consumeEmailToken, issueEmailToken } from './email-tokens';
import { sendPasswordChangedMail, sendResetMail } from '../mails';
import type { RequestContext } from '../context';

/** Sends a reset link when the address has an account; answers the same either way. Rate-limited. */
export async function requestPasswordReset(email: string, ctx: RequestContext): Promise<void> {
	const address = email.trim().toLowerCase();
	await hit(db(), [
		{ key: `reset:email:${address}`, max: 5, windowSeconds: 3600 },
		{ key: `reset:ip:${ctx.ip ?? 'unknown'}`, max: 30, windowSeconds: 3600 }
	]);
	const user = await findUserByEmail(db(), address);
	if (!user) return;
	const token = await issueEmailToken(db(), user.id, 'reset');
	await audit(db(), {
		actorId: null,
		action: 'accounts.reset_requested',
		targetType: 'user',
		targetId: user.id,
		ip: ctx.ip
	});
	await sendResetMail(user.email, user.locale, user.displayName, token);
}

/** Sets a new password from a reset link; ends every session of the person. */
export async function resetPassword(
	input: { token: string; password: string },
	ctx: RequestContext
): Promise<void> {
	const data = resetPasswordSchema.parse(input);
	const user = await db().transaction(async (tx) => {
		const row = await consumeEmailToken(tx, data.token, ['reset']);
		const [u] = await tx.select().from(users).where(eq(users.id, row.userId));
		const problem = passwordProblem(data.password, u);
		if (problem) throw fieldError('password', problem);
		await tx
			.update(users)
			.set({
				passwordHash: await hashPassword(data.password),
				passwordChangedAt: new Date(),
				// Following the link proves control of the address.
				emailVerifiedAt: u.emailVerifiedAt ?? new Date()
			})
			.where(eq(users.id, u.id));
		await deleteUserSessions(tx, u.id);
		await audit(tx, {
			actorId: u.id,
			action: 'accounts.password_reset',
			targetType: 'user',
			targetId: u.id,
			ip: ctx.ip
		});
		return u;
	});
	await sendPasswordChangedMail(user.email, user.locale, user.displayName);
}
