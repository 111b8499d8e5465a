import { resendVerificationSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { hit } from '../../platform/rate-limit';
import { findUserByEmail } from '../queries';
import { issueEmailToken } from '../email-tokens';
import { sendVerificationMail } from '../mails';
import type { RequestContext } from '../context';

/**
 * Sends a fresh verification link to an unverified account. Answers the same whatever the e-mail,
 * a malformed one included (nothing is sent to it), so the page never tells which addresses exist.
 */
export async function resendVerification(email: string, ctx: RequestContext): Promise<void> {
	const parsed = resendVerificationSchema.safeParse({ email });
	if (!parsed.success) return;
	const address = parsed.data.email;
	await hit(db(), [
		{ key: `verify:email:${address}`, max: 3, windowSeconds: 3600 },
		{ key: `verify:ip:${ctx.ip ?? 'unknown'}`, max: 20, windowSeconds: 3600 }
	]);
	const user = await findUserByEmail(db(), address);
	if (!user || user.emailVerifiedAt) return;
	const token = await issueEmailToken(db(), user.id, 'verify');
	await sendVerificationMail(user.email, user.locale, user.displayName, token);
}
