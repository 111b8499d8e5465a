import { requestResetSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { hit } from '../../platform/rate-limit';
import { findUserByEmail } from '../queries';
import { issueEmailToken } from '../email-tokens';
import { sendResetMail } from '../mails';
import type { RequestContext } from '../context';

/** Sends a reset link when the address has an account; answers the same either way. Rate-limited. */
export async function requestPasswordReset(email: string, ctx: RequestContext): Promise<void> {
	const { email: address } = parseInput(requestResetSchema, { email });
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
