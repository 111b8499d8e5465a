import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password';

describe('password rules', () => {
	const person = { email: 'marie.curie@example.org', displayName: 'Marie Curie' };

	it('accepts long passphrases with any characters', () => {
		expect(passwordProblem('la rivière coule sous le pont', person)).toBeNull();
		expect(passwordProblem('🚲🚲🚲🚲🚲 vélo 木木木', person)).toBeNull();
		expect(passwordProblem('x'.repeat(256), person)).toBeNull();
	});

	it('counts characters, not bytes', () => {
		// 10 emoji are 10 characters (20 UTF-16 units): accepted; 9 are refused.
		expect(passwordProblem('🌳'.repeat(10), {})).toBeNull();
		expect(passwordProblem('🌳'.repeat(9), {})).toBe('accounts_error_password_short');
	});

	it('refuses short, long, common and personal passwords', () => {
		expect(passwordProblem('short', person)).toBe('accounts_error_password_short');
		expect(passwordProblem('y'.repeat(257), person)).toBe('accounts_error_password_long');
		expect(passwordProblem('qwertyuiop', person)).toBe('accounts_error_password_common');
		expect(passwordProblem('Password123', person)).toBe('accounts_error_password_common');
		expect(passwordProblem('my marie.curie pass', person)).toBe('accounts_error_password_personal');
		expect(passwordProblem('hello CURIE 2026!!', person)).toBe('accounts_error_password_personal');
	});

	it('hashes with argon2id and verifies', async () => {
		const hash = await hashPassword('a fine long passphrase');
		expect(hash.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(hash, 'a fine long passphrase')).toBe(true);
		expect(await verifyPassword(hash, 'a fine long passphrasE')).toBe(false);
		expect(await verifyPassword(null, 'anything at all')).toBe(false);
	});
});
