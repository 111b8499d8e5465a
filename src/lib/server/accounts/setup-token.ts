import { db } from '../db/client';
import { getSetting } from '../platform/settings';
import { hashToken } from '../platform/tokens';

/** Where the hash of the one-time setup token lives (platform settings). */
export const SETUP_KEY = 'setup_token_hash';

/** True when `token` is the live setup token. */
export async function isValidSetupToken(token: string): Promise<boolean> {
	const stored = await getSetting<string>(db(), SETUP_KEY);
	return Boolean(stored && token && stored === hashToken(token));
}
