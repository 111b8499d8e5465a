import { eq, inArray } from 'drizzle-orm';
import { t, formatMoney, type Locale } from '$lib/i18n';
import { db } from '../db/client';
import { config } from '../platform/config';
import { renderMail } from '../platform/mail-template';
import { queueMail } from '../platform/mail-job';
import { users } from '../accounts/schema';
import { projects } from '../projects/schema';
import { contributions } from '../contributions/schema';

type Kind = 'credited' | 'pledged' | 'refunded' | 'captured' | 'released' | 'late' | 'project_cancelled';

/** What a donor's mail says about one gift: who it goes to, the project, the gift's amount. */
export interface DonorMail {
	email: string;
	name: string;
	locale: string;
	deletedAt: Date | null;
	title: string;
	amountMinor: number | null;
	currency: string | null;
}

/** Tells donors, each in their own language, what happened to their gift (receipt of gift, pledge, refund, deadline). */
export async function mailDonors(
	contributionIds: string[],
	kind: Kind,
	extra: { amountMinor?: number } = {}
): Promise<void> {
	if (!contributionIds.length) return;
	const rows = await db()
		.select({
			c: contributions,
			email: users.email,
			name: users.displayName,
			locale: users.locale,
			deletedAt: users.deletedAt,
			title: projects.title,
			slug: projects.slug
		})
		.from(contributions)
		.innerJoin(users, eq(users.id, contributions.contributorId))
		.innerJoin(projects, eq(projects.id, contributions.projectId))
		.where(inArray(contributions.id, contributionIds));
	await mailDonorsOf(
		rows.map((r) => ({ ...r, amountMinor: r.c.amountMinor, currency: r.c.currency })),
		kind,
		extra
	);
}

/** The same, for gifts whose donor and project the caller has read already. */
export async function mailDonorsOf(
	rows: DonorMail[],
	kind: Kind,
	extra: { amountMinor?: number } = {}
): Promise<void> {
	for (const r of rows) {
		if (r.deletedAt) continue;
		const locale = r.locale as Locale;
		const fmt = r.currency === 'CAD' ? `${locale}-CA` : locale === 'fr' ? 'fr-FR' : 'en-GB';
		const amount = formatMoney(extra.amountMinor ?? r.amountMinor ?? 0, r.currency ?? 'EUR', fmt);
		await queueMail(
			renderMail({
				to: r.email,
				locale,
				subject: t(`mail_gift_${kind}_subject`, { project: r.title }, locale),
				paragraphs: [
					t('mail_hello', { name: r.name }, locale),
					t(`mail_gift_${kind}_body`, { project: r.title, amount }, locale)
				],
				action: { label: t('mail_gift_action', {}, locale), url: `${config().publicUrl}/me/contributions` }
			})
		);
	}
}
