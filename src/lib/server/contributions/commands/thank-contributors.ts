import { and, asc, eq, isNull, notInArray } from 'drizzle-orm';
import { thankSchema } from '$lib/shared/contributions/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { hit } from '../../platform/rate-limit';
import { config } from '../../platform/config';
import { renderMail } from '../../platform/mail-template';
import { queueMail } from '../../platform/mail-job';
import { t, type Locale } from '$lib/i18n';
import type { Actor } from '../../accounts';
import { users } from '../../accounts/schema';
import { projects } from '../../projects/schema';
import { contributions } from '../schema';
import { authorize } from '../policy';

/** How many thank-you mailings a project may send per day. */
export const THANKS_PER_DAY = 3;

/**
 * Statuses of contributions that were not really given (or not yet): their authors are not thanked.
 * A pending gift is not paid yet; a failed, refunded, cancelled, declined or missed one did not happen.
 */
const NOT_GIVEN = ['pending', 'failed', 'refunded', 'cancelled', 'declined', 'absent'] as const;

/**
 * The team thanks everyone who contributed: one mail per person (however many contributions they
 * made), in that person's language. At most THANKS_PER_DAY mailings per project and day.
 * Returns how many people were written to.
 */
export async function thankContributors(
	actor: Actor | null,
	projectId: string,
	message: string
): Promise<number> {
	const me = await authorize(actor, 'contributions.view', { id: projectId });
	const data = parseInput(thankSchema, { message });
	const [project] = await db().select().from(projects).where(eq(projects.id, projectId));
	if (!project) throw new AppError('not_found', 'error_not_found');
	const recipients = await db()
		.selectDistinct({ email: users.email, locale: users.locale, name: users.displayName })
		.from(contributions)
		.innerJoin(users, eq(users.id, contributions.contributorId))
		.where(
			and(
				eq(contributions.projectId, projectId),
				notInArray(contributions.status, [...NOT_GIVEN]),
				isNull(users.deletedAt)
			)
		)
		.orderBy(asc(users.email));
	if (!recipients.length) throw new AppError('conflict', 'team_contrib_error_nobody');
	try {
		await hit(db(), [{ key: `thanks:project:${projectId}`, max: THANKS_PER_DAY, windowSeconds: 24 * 3600 }]);
	} catch (e) {
		if (e instanceof AppError && e.code === 'rate_limited')
			throw new AppError('rate_limited', 'team_contrib_error_too_many');
		throw e;
	}
	await audit(db(), {
		actorId: me.id,
		action: 'contributions.thanked',
		targetType: 'project',
		targetId: projectId,
		data: { recipients: recipients.length }
	});
	const url = `${config().publicUrl}/projects/${project.slug}`;
	for (const r of recipients) {
		const locale = r.locale as Locale;
		await queueMail(
			renderMail({
				to: r.email,
				locale,
				subject: t('team_contrib_mail_subject', { project: project.title }, locale),
				paragraphs: [
					t('team_contrib_mail_greeting', { name: r.name }, locale),
					t('team_contrib_mail_intro', { name: me.displayName, project: project.title }, locale),
					...data.message
						.split(/\r?\n\s*\r?\n/)
						.map((p) => p.trim())
						.filter(Boolean)
				],
				action: { label: t('team_contrib_mail_action', {}, locale), url }
			})
		);
	}
	return recipients.length;
}
