import { and, eq } from 'drizzle-orm';
import { grantModeratorSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { moderatorAssignments } from '../schema';
import { authorize } from '../policy';
import type { Actor } from '../actor';
import type { RequestContext } from '../context';

/** Removes a moderator role. Administrators only. */
export async function revokeModerator(
	actor: Actor | null,
	userId: string,
	territoryId: string,
	ctx: RequestContext
) {
	const admin = await authorize(actor, 'accounts.administer');
	const data = parseInput(grantModeratorSchema, { userId, territoryId });
	await db().transaction(async (tx) => {
		const removed = await tx
			.delete(moderatorAssignments)
			.where(
				and(
					eq(moderatorAssignments.userId, data.userId),
					eq(moderatorAssignments.territoryId, data.territoryId)
				)
			)
			.returning();
		if (removed.length)
			await audit(tx, {
				actorId: admin.id,
				action: 'roles.moderator_revoked',
				targetType: 'user',
				targetId: data.userId,
				data: { territoryId: data.territoryId },
				ip: ctx.ip
			});
	});
}
