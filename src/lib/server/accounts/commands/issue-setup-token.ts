import { db } from '../../db/client';
import { setSetting, deleteSetting } from '../../platform/settings';
import { hashToken, newToken } from '../../platform/tokens';
import { countAdmins } from '../queries';
import { SETUP_KEY } from '../setup-token';

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
