import { sql } from 'drizzle-orm';
import { criterionSchema, type CriterionInput } from '$lib/shared/moderation/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { criteria } from '../schema';
import { authorize } from '../policy';
import { checkCriterionSlugFree } from '../rules';
import type { Criterion } from '../criteria';

/** Adds a criterion at the end of the list (administrators); submissions answer it from then on. */
export async function createCriterion(
	actor: Actor | null,
	input: CriterionInput,
	ctx: RequestContext
): Promise<Criterion> {
	const admin = await authorize(actor, 'criteria.manage');
	const data = parseInput(criterionSchema, input);
	return db().transaction(async (tx) => {
		await checkCriterionSlugFree(tx, data.slug);
		const [{ next }] = (
			await tx.execute<{ next: number }>(sql`SELECT coalesce(max(position), -1) + 1 AS next FROM criteria`)
		).rows;
		const [c] = await tx
			.insert(criteria)
			.values({ ...data, position: Number(next) })
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'criteria.created',
			targetType: 'criterion',
			targetId: c.id,
			data: { slug: c.slug },
			ip: ctx.ip
		});
		return c;
	});
}
