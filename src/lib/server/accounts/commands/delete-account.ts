import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit, pseudonymizeAudit } from '../../platform/audit';
import { forgetRateLimitsFor } from '../../platform/rate-limit';
import { forgetMails } from '../../platform/mail-job';
import { removeOutboxMails } from '../../platform/mailer';
import { erasePersonalData } from '../../platform/personal-data';
import { users, userInterests, moderatorAssignments, emailTokens } from '../schema';
import { requireActor } from '../policy';
import type { Actor } from '../actor';
import { verifyPassword } from '../password';
import { deleteUserSessions } from '../sessions';
import { countAdmins } from '../queries';
import type { RequestContext } from '../context';

// The form's confirmation box is the route's; the command needs the password only.
const currentPasswordSchema = z.object({
	currentPassword: z.string().min(1, 'form_error_required').max(256)
});

/**
 * Deletes the signed-in person's account by anonymizing it in place: the row stays (so what they wrote
 * and gave keeps its author as "deleted account", and money records stay whole), but the e-mail, name,
 * password, profile, interests, roles and sessions are erased, and so are the traces elsewhere: the
 * address in the audit log (pseudonymized) and in rate-limit keys, invitations sent to it, and the
 * mails to or about the person in the job queue and the outbox. Tax receipts keep the name and postal
 * address they print, as tax law requires (see /privacy).
 */
export async function deleteAccount(
	actor: Actor | null,
	input: { currentPassword: string },
	ctx: RequestContext
): Promise<void> {
	const me = requireActor(actor);
	const data = parseInput(currentPasswordSchema, input);
	const [u] = await db().select().from(users).where(eq(users.id, me.id));
	if (!(await verifyPassword(u.passwordHash, data.currentPassword)))
		throw fieldError('currentPassword', 'accounts_error_current_password');
	const pseudonym = `deleted-${u.id}@invalid`;
	const trace = { email: u.email, name: u.displayName };
	await db().transaction(async (tx) => {
		if (u.isAdmin && (await countAdmins(tx)) <= 1)
			throw new AppError('conflict', 'accounts_error_last_admin');
		await tx
			.update(users)
			.set({
				email: pseudonym,
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
		await erasePersonalData(tx, { userId: u.id, email: u.email });
		await forgetRateLimitsFor(tx, u.email);
		await forgetMails(tx, trace);
		await pseudonymizeAudit(tx, { userId: u.id, email: u.email, pseudonym });
		// The deletion itself keeps its IP (evidence if a stolen account was deleted), for the log's retention.
		await audit(tx, {
			actorId: u.id,
			action: 'accounts.deleted',
			targetType: 'user',
			targetId: u.id,
			ip: ctx.ip
		});
	});
	// Files are not transactional: removed once the deletion is committed.
	await removeOutboxMails(trace);
}
