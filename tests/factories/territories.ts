import { randomUUID } from 'node:crypto';
import { db } from '$lib/server/db/client';
import { territories } from '$lib/server/territories/schema';

/** Inserts a territory (a city at the top level unless told otherwise). */
export async function buildTerritory(
	overrides: Partial<typeof territories.$inferInsert> = {}
): Promise<typeof territories.$inferSelect> {
	const slug = overrides.slug ?? `territory-${randomUUID().slice(0, 8)}`;
	const [t] = await db()
		.insert(territories)
		.values({ slug, kind: 'city', nameFr: slug, nameEn: slug, ...overrides })
		.returning();
	return t;
}
