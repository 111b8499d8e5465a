import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MAX, PASSWORD_MIN } from '$lib/shared/accounts/schemas';

let common: Set<string> | undefined;

/** ~49,000 common passwords (zxcvbn-ts list), lower-cased. */
function commonPasswords(): Set<string> {
	common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
	return common;
}

/**
 * Checks the password rules; returns a message key when the password is refused.
 * Length 10–256, any characters; not a common password; not containing the e-mail or the name.
 */
export function passwordProblem(
	password: string,
	person: { email?: string; displayName?: string }
): string | null {
	const length = [...password].length;
	if (length < PASSWORD_MIN) return 'accounts_error_password_short';
	if (length > PASSWORD_MAX) return 'accounts_error_password_long';
	const lower = password.toLowerCase();
	if (commonPasswords().has(lower)) return 'accounts_error_password_common';
	const email = person.email?.toLowerCase();
	if (email) {
		const local = email.split('@')[0];
		if (lower.includes(email) || (local.length >= 3 && lower.includes(local)))
			return 'accounts_error_password_personal';
	}
	const name = person.displayName?.toLowerCase().trim();
	if (name && name.length >= 3) {
		const parts = [name, ...name.split(/\s+/).filter((p) => p.length >= 3)];
		if (parts.some((p) => lower.includes(p))) return 'accounts_error_password_personal';
	}
	return null;
}

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes).
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

// Verified when no account matches, so that timing does not tell whether an e-mail is registered.
let dummyHash: Promise<string> | undefined;

/** Checks a password against a stored hash (or a dummy one, in constant time, when there is none). */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
	if (!stored) {
		dummyHash ??= hashPassword('dummy-password-for-timing');
		await verify(await dummyHash, password).catch(() => false);
		return false;
	}
	return verify(stored, password).catch(() => false);
}
