import { eq } from 'drizzle-orm';
import { reviewSchema } from '$lib/shared/moderation/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { config } from '../../platform/config';
import { renderMail } from '../../platform/mail-template';
import { queueMail } from '../../platform/mail-job';
import { t, type Locale } from '$lib/i18n';
import type { Actor } from '../../accounts';
import { users } from '../../accounts/schema';
import { lockProject, moveProject } from '../../projects';
import { projectMembers } from '../../projects/schema';
import { reviews, reviewJudgements } from '../schema';
import { listCriteria } from '../criteria';
import { authorize } from '../policy';

export type ReviewInput = {
	decision: 'approve' | 'request_changes' | 'decline';
	message?: string;
	publishOn?: string | null;
	judgements: Record<string, { passes: boolean; note?: string }>;
};

/**
 * A moderator of the project's territory (or an ancestor) decides on a submission: approve (publish now or
 * on a date), request changes (with a message), or decline (with a reason). Each criterion is judged.
 * The team is told by e-mail, in each member's language.
 */
export async function reviewProject(
	actor: Actor | null,
	projectId: string,
	input: ReviewInput
): Promise<void> {
	const data = parseInput(reviewSchema, input);
	const outcome = await db().transaction(async (tx) => {
		const p = await lockProject(tx, projectId);
		const me = await authorize(actor, 'project.review', p, tx);
		if (p.status !== 'submitted') throw new AppError('conflict', 'moderation_error_not_submitted');
		const list = await listCriteria(tx);
		const fields: Record<string, string> = {};
		for (const c of list)
			if (!data.judgements[c.id]) fields[`criterion_${c.id}`] = 'moderation_error_judgement_required';
		if (data.decision !== 'approve' && !data.message) fields.message = 'moderation_error_message_required';
		let publishAt = new Date();
		if (data.decision === 'approve' && data.publishOn) {
			publishAt = new Date(`${data.publishOn}T00:00:00Z`);
			if (publishAt.getTime() < Date.now() - 24 * 3600_000)
				fields.publishOn = 'moderation_error_publish_past';
		}
		if (Object.keys(fields).length) throw new AppError('validation', 'form_error_summary', fields);
		const [review] = await tx
			.insert(reviews)
			.values({
				projectId,
				moderatorId: me.id,
				decision: data.decision,
				message: data.message,
				publishAt: data.decision === 'approve' ? publishAt : null
			})
			.returning();
		await tx.insert(reviewJudgements).values(
			list.map((c) => ({
				reviewId: review.id,
				criterionId: c.id,
				passes: data.judgements[c.id].passes,
				note: data.judgements[c.id].note
			}))
		);
		const to =
			data.decision === 'approve'
				? 'published'
				: data.decision === 'request_changes'
					? 'changes_requested'
					: 'declined';
		await moveProject(tx, p, to, me.id, data.message, to === 'published' ? { publishedAt: publishAt } : {});
		await audit(tx, {
			actorId: me.id,
			action: `moderation.${data.decision}`,
			targetType: 'project',
			targetId: projectId
		});
		const team = await tx
			.select({
				email: users.email,
				locale: users.locale,
				name: users.displayName,
				deletedAt: users.deletedAt
			})
			.from(projectMembers)
			.innerJoin(users, eq(users.id, projectMembers.userId))
			.where(eq(projectMembers.projectId, projectId));
		return { project: p, team: team.filter((m) => !m.deletedAt), publishAt };
	});
	const url = `${config().publicUrl}/projects/${outcome.project.slug}/manage`;
	for (const member of outcome.team) {
		const locale = member.locale as Locale;
		const key =
			data.decision === 'approve' ? 'approved' : data.decision === 'request_changes' ? 'changes' : 'declined';
		await queueMail(
			renderMail({
				to: member.email,
				locale,
				subject: t(`mail_review_${key}_subject`, { project: outcome.project.title }, locale),
				paragraphs: [
					t('mail_hello', { name: member.name }, locale),
					t(`mail_review_${key}_body`, { project: outcome.project.title }, locale),
					...(data.message ? [t('mail_review_message', { message: data.message }, locale)] : [])
				],
				action: { label: t('mail_review_action', {}, locale), url }
			})
		);
	}
}
