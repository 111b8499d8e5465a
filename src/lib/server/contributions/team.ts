import { and, asc, desc, eq, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { parseInput } from '../platform/validate';
import { audit } from '../platform/audit';
import { hit } from '../platform/rate-limit';
import { config } from '../platform/config';
import { renderMail } from '../platform/mail-template';
import { queueMail } from '../platform/mail-job';
import { t, type Locale } from '$lib/i18n';
import type { Actor } from '../accounts';
import { users } from '../accounts/schema';
import { requireTeam } from '../projects';
import { projects } from '../projects/schema';
import { needs, shifts } from '../needs/schema';
import { needKinds } from '$lib/shared/projects/enums';
import { contributions, contributionStatuses } from './schema';

/** The filters of the team's list; a value that is not one of the choices is ignored. */
export const contributionFiltersSchema = z.object({
	kind: z.enum(needKinds).optional().catch(undefined),
	status: z.enum(contributionStatuses).optional().catch(undefined),
	needId: z.uuid().optional().catch(undefined)
});
export type ContributionFilters = z.input<typeof contributionFiltersSchema>;

/** What the team writes to thank everyone who contributed. */
export const thankSchema = z.object({
	message: z
		.string('form_error_required')
		.trim()
		.min(1, 'form_error_required')
		.max(2000, 'form_error_too_long')
});

/** How many thank-you mailings a project may send per day. */
export const THANKS_PER_DAY = 3;

/**
 * Statuses of contributions that were not really given (or not yet): their authors are not thanked.
 * A pending gift is not paid yet; a failed, refunded, cancelled, declined or missed one did not happen.
 */
const NOT_GIVEN = ['pending', 'failed', 'refunded', 'cancelled', 'declined', 'absent'] as const;

/** One row of the team's list of contributions. */
export type TeamContribution = Awaited<ReturnType<typeof projectContributions>>[number];

/**
 * Everything the project received, for its team: every kind and status, newest first within each need
 * (needs in their order). One query: contributor (null for a deleted account), need, shift.
 */
export async function projectContributions(
	actor: Actor | null,
	projectId: string,
	filters: ContributionFilters = {}
) {
	await requireTeam(db(), actor, projectId);
	const f = contributionFiltersSchema.parse(filters);
	const where: SQL[] = [eq(contributions.projectId, projectId)];
	if (f.kind) where.push(eq(contributions.kind, f.kind));
	if (f.status) where.push(eq(contributions.status, f.status));
	if (f.needId) where.push(eq(contributions.needId, f.needId));
	return db()
		.select({
			id: contributions.id,
			kind: contributions.kind,
			status: contributions.status,
			createdAt: contributions.createdAt,
			needId: contributions.needId,
			needTitle: needs.title,
			unit: needs.unit,
			contributorName: sql<
				string | null
			>`CASE WHEN ${users.deletedAt} IS NULL THEN ${users.displayName} ELSE NULL END`,
			shiftStartsAt: shifts.startsAt,
			shiftEndsAt: shifts.endsAt,
			shiftPlace: shifts.place,
			hoursCounted: contributions.hoursCounted,
			quantity: contributions.quantity,
			materialMode: contributions.materialMode,
			returnBy: contributions.returnBy,
			hours: contributions.hours,
			amountMinor: contributions.amountMinor,
			tipMinor: contributions.tipMinor,
			currency: contributions.currency,
			paymentMethod: contributions.paymentMethod,
			anonymous: contributions.anonymous,
			message: contributions.message
		})
		.from(contributions)
		.innerJoin(needs, eq(needs.id, contributions.needId))
		.innerJoin(users, eq(users.id, contributions.contributorId))
		.leftJoin(shifts, eq(shifts.id, contributions.shiftId))
		.where(and(...where))
		.orderBy(asc(needs.position), asc(needs.createdAt), desc(contributions.createdAt), asc(contributions.id))
		.then((rows) => rows.map((r) => ({ ...r, reference: offlineReference(r) })));
}

/** The reference an offline donor was asked to write on their transfer or cheque (see payments/methods). */
function offlineReference(c: { id: string; paymentMethod: string | null }): string | null {
	return c.paymentMethod === 'offline' ? `PARVIS-${c.id.slice(0, 8).toUpperCase()}` : null;
}

// --- CSV ----------------------------------------------------------------------------------------

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A cell a spreadsheet would read as a formula (= + - @, tab, carriage return) gets a leading quote.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
	let s = value === null || value === undefined ? '' : String(value);
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows to an RFC 4180 document: comma-separated, CRLF line ends, UTF-8 byte order mark for spreadsheets. */
export function toCsv(rows: (string | number | boolean | null | undefined)[][]): string {
	return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const decimal = (minor: number | null) => (minor === null ? '' : (minor / 100).toFixed(2));
const stamp = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '');

/** The team's list as a CSV file (headers in `locale`, or the request's language). */
export async function contributionsCsv(
	actor: Actor | null,
	projectId: string,
	locale?: Locale
): Promise<string> {
	const rows = await projectContributions(actor, projectId);
	const tr = (key: string) => t(key, {}, locale);
	const header = [
		'team_contrib_csv_date',
		'team_contrib_csv_need',
		'team_contrib_csv_kind',
		'team_contrib_csv_status',
		'team_contrib_csv_contributor',
		'team_contrib_csv_anonymous',
		'team_contrib_csv_amount',
		'team_contrib_csv_tip',
		'team_contrib_csv_currency',
		'team_contrib_csv_method',
		'team_contrib_csv_reference',
		'team_contrib_csv_quantity',
		'team_contrib_csv_mode',
		'team_contrib_csv_return_by',
		'team_contrib_csv_hours',
		'team_contrib_csv_shift_start',
		'team_contrib_csv_shift_end',
		'team_contrib_csv_place',
		'team_contrib_csv_message'
	].map(tr);
	return toCsv([
		header,
		...rows.map((r) => [
			stamp(r.createdAt),
			r.needTitle,
			tr(`needs_kind_${r.kind}`),
			tr(`team_contrib_status_${r.status}`),
			r.contributorName ?? tr('accounts_deleted_user'),
			r.kind === 'money' ? tr(r.anonymous ? 'team_contrib_yes' : 'team_contrib_no') : '',
			decimal(r.amountMinor),
			r.kind === 'money' ? decimal(r.tipMinor ?? 0) : '',
			r.currency ?? '',
			r.paymentMethod ? tr(`team_contrib_method_${r.paymentMethod}`) : '',
			r.reference ?? '',
			r.quantity ?? '',
			r.materialMode ? tr(`team_contrib_mode_${r.materialMode}`) : '',
			r.returnBy ?? '',
			r.kind === 'volunteers' ? (r.hoursCounted ?? '') : (r.hours ?? ''),
			stamp(r.shiftStartsAt),
			stamp(r.shiftEndsAt),
			r.shiftPlace ?? '',
			r.message
		])
	]);
}

// --- thanks -------------------------------------------------------------------------------------

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
	const me = await requireTeam(db(), actor, projectId);
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
