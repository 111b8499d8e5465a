import { and, eq, gt, isNull } from 'drizzle-orm';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { hashToken } from '../../platform/tokens';
import { requireActor, type Actor } from '../../accounts';
import { projects, projectInvitations, projectMembers } from '../schema';

// The token is checked by its hash in one conditional UPDATE: any string is valid input, a wrong one
// is `invalid_token`.

/** The signed-in person accepts an invitation and joins the team as editor; returns the project slug. */
export async function acceptInvitation(actor: Actor | null, token: string): Promise<string> {
	const me = requireActor(actor);
	return db().transaction(async (tx) => {
		const [inv] = await tx
			.update(projectInvitations)
			.set({ acceptedAt: new Date() })
			.where(
				and(
					eq(projectInvitations.id, hashToken(token)),
					isNull(projectInvitations.acceptedAt),
					gt(projectInvitations.expiresAt, new Date())
				)
			)
			.returning();
		if (!inv) throw new AppError('invalid_token', 'accounts_error_token_invalid');
		await tx
			.insert(projectMembers)
			.values({ projectId: inv.projectId, userId: me.id, role: 'editor' })
			.onConflictDoNothing();
		const [p] = await tx.select({ slug: projects.slug }).from(projects).where(eq(projects.id, inv.projectId));
		await audit(tx, {
			actorId: me.id,
			action: 'projects.editor_joined',
			targetType: 'project',
			targetId: inv.projectId
		});
		return p.slug;
	});
}
