import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { db } from '$lib/server/db/client';
import { users, moderatorAssignments } from '$lib/server/accounts/schema';
import { hashPassword, type Actor } from '$lib/server/accounts';

export const FACTORY_PASSWORD = 'Tr3s-bon mot de passe';
let cachedHash: Promise<string> | undefined;

export interface BuildUserOptions {
	email?: string;
	displayName?: string;
	locale?: 'fr' | 'en';
	isAdmin?: boolean;
	verified?: boolean;
	moderates?: string[];
	password?: string;
}

/** Inserts a person (verified by default) and returns the row and the Actor a session would give. */
export async function buildUser(options: BuildUserOptions = {}) {
	const id = randomUUID();
	const passwordHash = options.password
		? await hashPassword(options.password)
		: await (cachedHash ??= hashPassword(FACTORY_PASSWORD));
	const [user] = await db()
		.insert(users)
		.values({
			id,
			email: options.email ?? `person-${id.slice(0, 8)}@example.org`,
			displayName: options.displayName ?? `Person ${id.slice(0, 4)}`,
			locale: options.locale ?? 'fr',
			isAdmin: options.isAdmin ?? false,
			emailVerifiedAt: options.verified === false ? null : new Date(),
			passwordHash
		})
		.returning();
	for (const territoryId of options.moderates ?? []) {
		await db().insert(moderatorAssignments).values({ userId: id, territoryId });
	}
	return { user, actor: toActor(user, options.moderates ?? []) };
}

/** The Actor for a user row (as validateSession would build it). */
export function toActor(user: typeof users.$inferSelect, moderatorOf: string[] = []): Actor {
	return {
		id: user.id,
		email: user.email,
		displayName: user.displayName,
		locale: user.locale,
		isAdmin: user.isAdmin,
		moderatorOf,
		sessionId: 'test-session'
	};
}

/** Re-reads a user row. */
export async function reloadUser(id: string) {
	const [u] = await db().select().from(users).where(eq(users.id, id));
	return u;
}

/** A request context for commands. */
export const ctx = { ip: '203.0.113.7', userAgent: 'vitest' };
