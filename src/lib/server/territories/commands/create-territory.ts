import { sql } from 'drizzle-orm';
import { territorySchema, type TerritoryInput } from '$lib/shared/territories/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { territories } from '../schema';
import { authorize } from '../policy';
import { checkParent, checkTerritorySlugFree } from '../rules';

/** Creates a territory (administrators). */
export async function createTerritory(actor: Actor | null, input: TerritoryInput, ctx: RequestContext) {
	const admin = await authorize(actor, 'territories.manage');
	const data = parseInput(territorySchema, input);
	return db().transaction(async (tx) => {
		await checkTerritorySlugFree(tx, data.slug);
		await checkParent(tx, data.parentId);
		const [{ next }] = (
			await tx.execute<{ next: number }>(
				sql`SELECT coalesce(max(position), -1) + 1 AS next FROM territories WHERE parent_id IS NOT DISTINCT FROM ${data.parentId}`
			)
		).rows;
		const [t] = await tx
			.insert(territories)
			.values({ ...data, position: Number(next) })
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'territories.created',
			targetType: 'territory',
			targetId: t.id,
			ip: ctx.ip
		});
		return t;
	});
}
