import { eq } from 'drizzle-orm';
import { grantModeratorSchema } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { moderatorAssignments } from '../schema';
import { territories } from '../../territories/schema';
import { authorize } from '../policy';
import type { Actor } from '../actor';
import { liveUser } from '../users';
import type { RequestContext } from '../context';

/** Makes a person moderator of a territory (and so of its descendants). Administrators only. */
export async function grantModerator(
	actor: Actor | null,
	userId: string,
	territoryId: string,
	ctx: RequestContext
) {
	const admin = await authorize(actor, 'accounts.administer');
	const data = parseInput(grantModeratorSchema, { userId, territoryId });
	await db().transaction(async (tx) => {
		await liveUser(tx, data.userId);
		const [t] = await tx
			.select({ id: territories.id })
			.from(territories)
			.where(eq(territories.id, data.territoryId));
		if (!t) throw fieldError('territoryId', 'form_error_invalid');
		const inserted = await tx
			.insert(moderatorAssignments)
			.values({ userId: data.userId, territoryId: data.territoryId, grantedBy: admin.id })
			.onConflictDoNothing()
			.returning();
		if (inserted.length)
			await audit(tx, {
				actorId: admin.id,
				action: 'roles.moderator_granted',
				targetType: 'user',
				targetId: data.userId,
				data: { territoryId: data.territoryId },
				ip: ctx.ip
			});
	});
}
