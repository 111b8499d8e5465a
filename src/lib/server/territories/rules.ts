import { and, eq, ne } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { fieldError } from '../platform/errors';
import { territories, themes } from './schema';
import { territoryWithDescendants } from './queries';

// Checks shared by the territory and theme commands.

/** Refuses a territory slug another territory has. */
export async function checkTerritorySlugFree(tx: Tx, slug: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: territories.id })
		.from(territories)
		.where(
			exceptId ? and(eq(territories.slug, slug), ne(territories.id, exceptId)) : eq(territories.slug, slug)
		);
	if (taken) throw fieldError('slug', 'territories_error_slug_taken');
}

/** Refuses an unknown parent, or (for an existing territory) itself or one of its descendants. */
export async function checkParent(tx: Tx, parentId: string | null, selfId?: string) {
	if (!parentId) return;
	const [p] = await tx.select({ id: territories.id }).from(territories).where(eq(territories.id, parentId));
	if (!p) throw fieldError('parentId', 'form_error_invalid');
	if (selfId && (await territoryWithDescendants(tx, selfId)).includes(parentId))
		throw fieldError('parentId', 'territories_error_cycle');
}

/** Refuses a theme slug another theme has. */
export async function checkThemeSlugFree(tx: Tx, slug: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: themes.id })
		.from(themes)
		.where(exceptId ? and(eq(themes.slug, slug), ne(themes.id, exceptId)) : eq(themes.slug, slug));
	if (taken) throw fieldError('slug', 'territories_error_slug_taken');
}
