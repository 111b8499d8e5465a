import { and, eq } from 'drizzle-orm';
import { inviteEditorSchema } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { hashToken, newToken } from '../../platform/tokens';
import { config } from '../../platform/config';
import { renderMail } from '../../platform/mail-template';
import { queueMail } from '../../platform/mail-job';
import { t, type Locale } from '$lib/i18n';
import type { Actor } from '../../accounts';
import { users } from '../../accounts/schema';
import { projects, projectInvitations, projectMembers } from '../schema';
import { authorize } from '../policy';

/** Invites an editor by e-mail: the link adds whoever follows it (signed in) to the team. */
export async function inviteEditor(actor: Actor | null, projectId: string, email: string): Promise<void> {
	const { email: address } = parseInput(inviteEditorSchema, { email });
	const { token, project, inviter, locale } = await db().transaction(async (tx) => {
		const me = await authorize(actor, 'project.manage', { id: projectId }, tx);
		const [p] = await tx.select().from(projects).where(eq(projects.id, projectId));
		const [already] = await tx
			.select({ id: users.id })
			.from(projectMembers)
			.innerJoin(users, eq(users.id, projectMembers.userId))
			.where(and(eq(projectMembers.projectId, projectId), eq(users.email, address)));
		if (already) throw fieldError('email', 'projects_error_already_member');
		const [invitee] = await tx.select({ locale: users.locale }).from(users).where(eq(users.email, address));
		const token = newToken();
		await tx.insert(projectInvitations).values({
			id: hashToken(token),
			projectId,
			email: address,
			invitedBy: me.id,
			expiresAt: new Date(Date.now() + 14 * 24 * 3600_000)
		});
		await audit(tx, {
			actorId: me.id,
			action: 'projects.editor_invited',
			targetType: 'project',
			targetId: projectId,
			data: { email: address }
		});
		return { token, project: p, inviter: me.displayName, locale: (invitee?.locale ?? me.locale) as Locale };
	});
	await queueMail(
		renderMail({
			to: address,
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
