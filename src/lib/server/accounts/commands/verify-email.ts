import { and, eq, isNull, ne } from 'drizzle-orm';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { users } from '../schema';
import { consumeEmailToken } from '../email-tokens';
import type { RequestContext } from '../context';

/** Confirms an address from a link: the sign-up verification, or a change of e-mail. */
export async function verifyEmail(
	token: string,
	ctx: RequestContext
): Promise<{ purpose: 'verify' | 'email_change' }> {
	return db().transaction(async (tx) => {
		const row = await consumeEmailToken(tx, token, ['verify', 'email_change']);
		if (row.purpose === 'email_change') {
			const newEmail = row.newEmail!;
			const [taken] = await tx
				.select({ id: users.id })
				.from(users)
				.where(and(eq(users.email, newEmail), ne(users.id, row.userId)));
			if (taken) throw new AppError('conflict', 'accounts_error_email_taken');
			await tx
				.update(users)
				.set({ email: newEmail, emailVerifiedAt: new Date() })
				.where(eq(users.id, row.userId));
			await audit(tx, {
				actorId: row.userId,
				action: 'accounts.email_changed',
				targetType: 'user',
				targetId: row.userId,
				ip: ctx.ip
			});
			return { purpose: 'email_change' as const };
		}
		await tx
			.update(users)
			.set({ emailVerifiedAt: new Date() })
			.where(and(eq(users.id, row.userId), isNull(users.emailVerifiedAt)));
		await audit(tx, {
			actorId: row.userId,
			action: 'accounts.email_verified',
			targetType: 'user',
			targetId: row.userId,
			ip: ctx.ip
		});
		return { purpose: 'verify' as const };
	});
}
