import { signInSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { hit, reset } from '../../platform/rate-limit';
import { findUserByEmail } from '../queries';
import { verifyPassword } from '../password';
import { createSession } from '../sessions';
import type { RequestContext } from '../context';

/** Per e-mail: 10 tries in 15 minutes; per IP address (a library or a school shares one): 100. */
export const SIGN_IN_LIMITS = { perEmail: 10, perIp: 100, windowSeconds: 900 };

/**
 * Checks e-mail and password and opens a new session (a fresh token at every sign-in).
 * Refuses unverified accounts, rate-limits per e-mail and per IP, and audits failures.
 */
export async function signIn(
	input: { email: string; password: string },
	ctx: RequestContext
): Promise<{ token: string; userId: string; locale: 'fr' | 'en' }> {
	const data = signInSchema.parse(input);
	const emailKey = `signin:email:${data.email}`;
	await hit(db(), [
		{ key: emailKey, max: SIGN_IN_LIMITS.perEmail, windowSeconds: SIGN_IN_LIMITS.windowSeconds },
		{
			key: `signin:ip:${ctx.ip ?? 'unknown'}`,
			max: SIGN_IN_LIMITS.perIp,
			windowSeconds: SIGN_IN_LIMITS.windowSeconds
		}
	]);
	const user = await findUserByEmail(db(), data.email);
	const ok = await verifyPassword(user?.passwordHash, data.password);
	if (!user || !ok) {
		await audit(db(), {
			actorId: user?.id ?? null,
			action: 'accounts.sign_in_failed',
			targetType: 'user',
			targetId: user?.id,
			data: { email: data.email },
			ip: ctx.ip
		});
		throw new AppError('validation', 'accounts_error_credentials', {
			password: 'accounts_error_credentials'
		});
	}
	if (!user.emailVerifiedAt)
		throw new AppError('validation', 'accounts_error_unverified', { email: 'accounts_error_unverified' });
	const token = await db().transaction(async (tx) => {
		const t = await createSession(tx, user.id, ctx.userAgent);
		await audit(tx, {
			actorId: user.id,
			action: 'accounts.signed_in',
			targetType: 'user',
			targetId: user.id,
			ip: ctx.ip
		});
		return t;
	});
	await reset(db(), [emailKey]);
	return { token, userId: user.id, locale: user.locale };
}
