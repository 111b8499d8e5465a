import { signUpSchema, type SignUpInput } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { hit } from '../../platform/rate-limit';
import { users } from '../schema';
import { findUserByEmail } from '../queries';
import { hashPassword, passwordProblem } from '../password';
import { issueEmailToken } from '../email-tokens';
import { sendVerificationMail } from '../mails';
import type { RequestContext } from '../context';

/** Creates an account (unverified) and sends the e-mail-verification link. */
export async function signUp(input: SignUpInput, ctx: RequestContext): Promise<{ userId: string }> {
	const data = parseInput(signUpSchema, input);
	const problem = passwordProblem(data.password, data);
	if (problem) throw fieldError('password', problem);
	await hit(db(), [{ key: `signup:ip:${ctx.ip ?? 'unknown'}`, max: 20, windowSeconds: 3600 }]);
	const passwordHash = await hashPassword(data.password);
	const { userId, token } = await db().transaction(async (tx) => {
		if (await findUserByEmail(tx, data.email)) throw fieldError('email', 'accounts_error_email_taken');
		const [user] = await tx
			.insert(users)
			.values({ email: data.email, displayName: data.displayName, passwordHash, locale: data.locale })
			.onConflictDoNothing()
			.returning({ id: users.id });
		if (!user) throw fieldError('email', 'accounts_error_email_taken');
		const token = await issueEmailToken(tx, user.id, 'verify');
		await audit(tx, {
			actorId: user.id,
			action: 'accounts.signed_up',
			targetType: 'user',
			targetId: user.id,
			ip: ctx.ip
		});
		return { userId: user.id, token };
	});
	await sendVerificationMail(data.email, data.locale, data.displayName, token);
	return { userId };
}
