import { eq } from 'drizzle-orm';
import { criterionSchema, type CriterionInput } from '$lib/shared/moderation/schemas';
import { rowIdSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { criteria } from '../schema';
import { authorize } from '../policy';
import { checkCriterionSlugFree } from '../rules';

/** Edits a criterion's slug, labels and help texts (administrators). */
export async function updateCriterion(
	actor: Actor | null,
	id: string,
	input: CriterionInput,
	ctx: RequestContext
): Promise<void> {
	const admin = await authorize(actor, 'criteria.manage');
	parseInput(rowIdSchema, { id });
	const data = parseInput(criterionSchema, input);
	await db().transaction(async (tx) => {
		const [existing] = await tx.select().from(criteria).where(eq(criteria.id, id)).for('update');
		if (!existing) throw new AppError('not_found', 'error_not_found');
		await checkCriterionSlugFree(tx, data.slug, id);
		await tx.update(criteria).set(data).where(eq(criteria.id, id));
		await audit(tx, {
			actorId: admin.id,
			action: 'criteria.updated',
			targetType: 'criterion',
			targetId: id,
			data: existing.slug === data.slug ? {} : { from: existing.slug, to: data.slug },
			ip: ctx.ip
		});
	});
}
