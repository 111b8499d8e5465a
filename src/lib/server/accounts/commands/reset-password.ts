import { eq } from 'drizzle-orm';
import { resetPasswordSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { users } from '../schema';
import { hashPassword, passwordProblem } from '../password';
import { deleteUserSessions } from '../sessions';
import { consumeEmailToken } from '../email-tokens';
import { sendPasswordChangedMail } from '../mails';
import type { RequestContext } from '../context';

/** Sets a new password from a reset link; ends every session of the person. */
export async function resetPassword(
	input: { token: string; password: string },
	ctx: RequestContext
): Promise<void> {
	const data = parseInput(resetPasswordSchema, input);
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
