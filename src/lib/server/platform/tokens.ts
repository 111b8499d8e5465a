import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe token (256 bits). */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token, as stored in the database (a leaked table does not leak live tokens). */
export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}
