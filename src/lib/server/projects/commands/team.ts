import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { hashToken, newToken } from '../../platform/tokens';
import { config } from '../../platform/config';
import { renderMail } from '../../platform/mail-template';
import { queueMail } from '../../platform/mail-job';
import { t, type Locale } from '$lib/i18n';
import { requireActor, type Actor } from '../../accounts';
import { users } from '../../accounts/schema';
import { projects, projectInvitations, projectMembers } from '../schema';
import { requireOwner, requireTeam } from '../policy';

const emailSchema = z.string().trim().toLowerCase().pipe(z.email('form_error_email'));

/** Invites an editor by e-mail: the link adds whoever follows it (signed in) to the team. */
export async function inviteEditor(actor: Actor | null, projectId: string, email: string): Promise<void> {
	const address = emailSchema.safeParse(email);
	if (!address.success) throw fieldError('email', 'form_error_email');
	const { token, project, inviter, locale } = await db().transaction(async (tx) => {
		const me = await requireTeam(tx, actor, projectId);
		const [p] = await tx.select().from(projects).where(eq(projects.id, projectId));
		const [already] = await tx
			.select({ id: users.id })
			.from(projectMembers)
			.innerJoin(users, eq(users.id, projectMembers.userId))
			.where(and(eq(projectMembers.projectId, projectId), eq(users.email, address.data)));
		if (already) throw fieldError('email', 'projects_error_already_member');
		const [invitee] = await tx
			.select({ locale: users.locale })
			.from(users)
			.where(eq(users.email, address.data));
		const token = newToken();
		await tx.insert(projectInvitations).values({
			id: hashToken(token),
			projectId,
			email: address.data,
			invitedBy: me.id,
			expiresAt: new Date(Date.now() + 14 * 24 * 3600_000)
		});
		await audit(tx, {
			actorId: me.id,
			action: 'projects.editor_invited',
			targetType: 'project',
			targetId: projectId,
			data: { email: address.data }
		});
		return { token, project: p, inviter: me.displayName, locale: (invitee?.locale ?? me.locale) as Locale };
	});
	await queueMail(
		renderMail({
			to: address.data,
			locale,
			subject: t('mail_invite_subject', { project: project.title }, locale),
			paragraphs: [t('mail_invite_body', { name: inviter, project: project.title }, locale)],
			action: {
				label: t('mail_invite_action', {}, locale),
				url: `${config().publicUrl}/invitations/${token}`
			}
		})
	);
}

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

/** The owner removes an editor from the team (the owner stays). */
export async function removeMember(actor: Actor | null, projectId: string, userId: string): Promise<void> {
	await db().transaction(async (tx) => {
		const me = await requireOwner(tx, actor, projectId);
		const removed = await tx
			.delete(projectMembers)
			.where(
				and(
					eq(projectMembers.projectId, projectId),
					eq(projectMembers.userId, userId),
					eq(projectMembers.role, 'editor')
				)
			)
			.returning();
		if (!removed.length) throw new AppError('not_found', 'error_not_found');
		await audit(tx, {
			actorId: me.id,
			action: 'projects.editor_removed',
			targetType: 'project',
			targetId: projectId,
			data: { userId }
		});
	});
}
