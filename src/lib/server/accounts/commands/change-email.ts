import { eq } from 'drizzle-orm';
import { changeEmailSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { users } from '../schema';
import { requireActor } from '../policy';
import type { Actor } from '../actor';
import { findUserByEmail } from '../queries';
import { verifyPassword } from '../password';
import { issueEmailToken } from '../email-tokens';
import { sendEmailChangeMail } from '../mails';
import type { RequestContext } from '../context';

/** Starts a change of e-mail: the new address gets a confirmation link; nothing changes until it is followed. */
export async function requestEmailChange(
	actor: Actor | null,
	input: { newEmail: string; currentPassword: string },
	ctx: RequestContext
): Promise<void> {
	const me = requireActor(actor);
	const data = parseInput(changeEmailSchema, input);
	const [u] = await db().select().from(users).where(eq(users.id, me.id));
	if (!(await verifyPassword(u.passwordHash, data.currentPassword)))
		throw fieldError('currentPassword', 'accounts_error_current_password');
	if (data.newEmail === u.email) throw fieldError('newEmail', 'accounts_error_email_same');
	if (await findUserByEmail(db(), data.newEmail)) throw fieldError('newEmail', 'accounts_error_email_taken');
	const token = await issueEmailToken(db(), me.id, 'email_change', data.newEmail);
	await audit(db(), {
		actorId: me.id,
		action: 'accounts.email_change_requested',
		targetType: 'user',
		targetId: me.id,
		ip: ctx.ip
	});
	await sendEmailChangeMail(data.newEmail, u.locale, u.displayName, token);
}
