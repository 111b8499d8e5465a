import { signInSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { hit, reset, throttle } from '../../platform/rate-limit';
import { findUserByEmail } from '../queries';
import { verifyPassword } from '../password';
import { createSession } from '../sessions';
import type { RequestContext } from '../context';

/**
 * Per (e-mail, IP address) pair: 5 free tries, then a wait of 30 s doubled at each try, at most 5 minutes,
 * forgotten after 15 quiet minutes. Never per address alone: anyone could then lock anyone out by typing
 * wrong passwords for their address. Per IP address (a library or a school shares one): 100 in 15 minutes.
 */
export const SIGN_IN_LIMITS = {
	pairFree: 5,
	pairBaseSeconds: 30,
	pairMaxSeconds: 300,
	perIp: 100,
	windowSeconds: 900
};

/**
 * Checks e-mail and password and opens a new session (a fresh token at every sign-in).
 * Refuses unverified accounts, slows down guessing per (e-mail, IP) pair, limits per IP, and audits failures.
 */
export async function signIn(
	input: { email: string; password: string },
	ctx: RequestContext
): Promise<{ token: string; userId: string; locale: 'fr' | 'en' }> {
	const data = parseInput(signInSchema, input);
	const pairKey = `signin:pair:${data.email}|${ctx.ip ?? 'unknown'}`;
	await hit(db(), [
		{
			key: `signin:ip:${ctx.ip ?? 'unknown'}`,
			max: SIGN_IN_LIMITS.perIp,
			windowSeconds: SIGN_IN_LIMITS.windowSeconds
		}
	]);
	// Counted before the password is checked (and forgotten on success), so parallel tries are counted too.
	await throttle(db(), {
		key: pairKey,
		free: SIGN_IN_LIMITS.pairFree,
		baseSeconds: SIGN_IN_LIMITS.pairBaseSeconds,
		maxSeconds: SIGN_IN_LIMITS.pairMaxSeconds,
		forgetSeconds: SIGN_IN_LIMITS.windowSeconds
	});
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
	await reset(db(), [pairKey]);
	return { token, userId: user.id, locale: user.locale };
}
