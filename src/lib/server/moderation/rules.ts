import { and, eq, ne } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { fieldError } from '../platform/errors';
import { criteria } from './schema';

/** Refuses a criterion slug another criterion has (criteria commands). */
export async function checkCriterionSlugFree(tx: Tx, slug: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: criteria.id })
		.from(criteria)
		.where(exceptId ? and(eq(criteria.slug, slug), ne(criteria.id, exceptId)) : eq(criteria.slug, slug));
	if (taken) throw fieldError('slug', 'moderation_error_slug_taken');
}
