import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { AppError } from '../platform/errors';
import { hashToken, newToken } from '../platform/tokens';
import { emailTokens } from './schema';

const LIFETIME_MS = { verify: 48 * 3600_000, reset: 3600_000, email_change: 24 * 3600_000 } as const;

/** Issues a one-time token of `purpose` for a person; returns the clear token for the link. */
export async function issueEmailToken(
	exec: Executor,
	userId: string,
	purpose: keyof typeof LIFETIME_MS,
	newEmail?: string
): Promise<string> {
	const token = newToken();
	await exec.insert(emailTokens).values({
		id: hashToken(token),
		userId,
		purpose,
		newEmail: newEmail ?? null,
		expiresAt: new Date(Date.now() + LIFETIME_MS[purpose])
	});
	return token;
}

/**
 * Consumes a token: marks it used in the same statement that checks it is unused and unexpired,
 * so a link clicked twice at once is honoured once.
 */
export async function consumeEmailToken(
	exec: Executor,
	token: string,
	purposes: (keyof typeof LIFETIME_MS)[]
) {
	const [row] = await exec
		.update(emailTokens)
		.set({ usedAt: new Date() })
		.where(
			and(
				eq(emailTokens.id, hashToken(token)),
				isNull(emailTokens.usedAt),
				gt(emailTokens.expiresAt, new Date())
			)
		)
		.returning();
	if (!row || !purposes.includes(row.purpose))
		throw new AppError('invalid_token', 'accounts_error_token_invalid');
	return row;
}
