import { setupSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { getSetting, deleteSetting } from '../../platform/settings';
import { hashToken } from '../../platform/tokens';
import { users } from '../schema';
import { countAdmins, findUserByEmail } from '../queries';
import { hashPassword, passwordProblem } from '../password';
import { SETUP_KEY } from '../setup-token';
import type { RequestContext } from '../context';

/** Creates the first administrator from the setup link; the link then stops working. */
export async function createFirstAdmin(
	input: { token: string; displayName: string; email: string; password: string; locale: 'fr' | 'en' },
	ctx: RequestContext
): Promise<{ userId: string }> {
	const data = parseInput(setupSchema, input);
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
