import { eq } from 'drizzle-orm';
import { territorySchema, type TerritoryInput } from '$lib/shared/territories/schemas';
import { rowIdSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { territories } from '../schema';
import { authorize } from '../policy';
import { checkParent, checkTerritorySlugFree } from '../rules';

/** Edits a territory; its parent cannot be itself or one of its descendants (administrators). */
export async function updateTerritory(
	actor: Actor | null,
	id: string,
	input: TerritoryInput,
	ctx: RequestContext
) {
	const admin = await authorize(actor, 'territories.manage');
	parseInput(rowIdSchema, { id });
	const data = parseInput(territorySchema, input);
	return db().transaction(async (tx) => {
		const [existing] = await tx.select().from(territories).where(eq(territories.id, id));
		if (!existing) throw new AppError('not_found', 'error_not_found');
		await checkTerritorySlugFree(tx, data.slug, id);
		await checkParent(tx, data.parentId, id);
		await tx.update(territories).set(data).where(eq(territories.id, id));
		await audit(tx, {
			actorId: admin.id,
			action: 'territories.updated',
			targetType: 'territory',
			targetId: id,
			data: { before: { slug: existing.slug, parentId: existing.parentId } },
			ip: ctx.ip
		});
	});
}
