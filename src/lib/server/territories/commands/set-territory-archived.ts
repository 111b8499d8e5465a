import { eq } from 'drizzle-orm';
import { archiveRowSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { territories } from '../schema';
import { authorize } from '../policy';

/** Archives (hides) or restores a territory; nothing that refers to it is deleted (administrators). */
export async function setTerritoryArchived(
	actor: Actor | null,
	id: string,
	archived: boolean,
	ctx: RequestContext
) {
	const admin = await authorize(actor, 'territories.manage');
	const data = parseInput(archiveRowSchema, { id, archived });
	await db().transaction(async (tx) => {
		const [t] = await tx
			.update(territories)
			.set({ archivedAt: data.archived ? new Date() : null })
			.where(eq(territories.id, data.id))
			.returning({ id: territories.id });
		if (!t) throw new AppError('not_found', 'error_not_found');
		await audit(tx, {
			actorId: admin.id,
			action: data.archived ? 'territories.archived' : 'territories.restored',
			targetType: 'territory',
			targetId: data.id,
			ip: ctx.ip
		});
	});
}
