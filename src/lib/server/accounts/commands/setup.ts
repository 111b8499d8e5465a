import { setupSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { getSetting, setSetting, deleteSetting } from '../../platform/settings';
import { hashToken, newToken } from '../../platform/tokens';
import { users } from '../schema';
import { countAdmins, findUserByEmail } from '../queries';
import { hashPassword, passwordProblem } from '../password';
import type { RequestContext } from '../context';

const SETUP_KEY = 'setup_token_hash';

/**
 * When the instance has no administrator, issues a one-time setup token (printed at start-up as a link);
 * returns null when an administrator exists.
 */
export async function issueSetupToken(): Promise<string | null> {
	if ((await countAdmins(db())) > 0) {
		await deleteSetting(db(), SETUP_KEY);
		return null;
	}
	const token = newToken();
	await setSetting(db(), SETUP_KEY, hashToken(token));
	return token;
}

/** True when `token` is the live setup token. */
export async function isValidSetupToken(token: string): Promise<boolean> {
	const stored = await getSetting<string>(db(), SETUP_KEY);
	return Boolean(stored && token && stored === hashToken(token));
}

/** Creates the first administrator from the setup link; the link then stops working. */
export async function createFirstAdmin(
	input: { token: string; displayName: string; email: string; password: string; locale: 'fr' | 'en' },
	ctx: RequestContext
): Promise<{ userId: string }> {
	const data = setupSchema.parse(input);
	const problem = passwordProblem(data.password, data);
	if (problem) throw fieldError('password', problem);
	const passwordHash = await hashPassword(data.password);
	return db().transaction(async (tx) => {
		const stored = await getSetting<string>(tx, SETUP_KEY);
		if (!stored || stored !== hashToken(data.token) || (await countAdmins(tx)) > 0)
			throw new AppError('invalid_token', 'accounts_error_token_invalid');
		if (await findUserByEmail(tx, data.email)) throw fieldError('email', 'accounts_error_email_taken');
		const [u] = await tx
			.insert(users)
			.values({
				email: data.email,
				displayName: data.displayName,
				passwordHash,
				locale: data.locale,
				isAdmin: true,
				emailVerifiedAt: new Date()
			})
			.returning({ id: users.id });
		await deleteSetting(tx, SETUP_KEY);
		await audit(tx, {
			actorId: u.id,
			action: 'roles.first_admin_created',
			targetType: 'user',
			targetId: u.id,
			ip: ctx.ip
		});
		return { userId: u.id };
	});
}
