import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { contributionFiltersSchema, type ContributionFilters } from '$lib/shared/contributions/schemas';
import { db, type Executor } from '../db/client';
import { AppError } from '../platform/errors';
import { t, type Locale } from '$lib/i18n';
import { requireActor, type Actor } from '../accounts';
import { users } from '../accounts/schema';
import { projects } from '../projects/schema';
import { needs, shifts } from '../needs/schema';
import { contributions } from './schema';
import { authorize } from './policy';
import { toCsv } from './csv';

/** What the contributor sees of one of their contributions, with its project, need and shift. */
const MINE = {
	id: contributions.id,
	kind: contributions.kind,
	status: contributions.status,
	createdAt: contributions.createdAt,
	updatedAt: contributions.updatedAt,
	amountMinor: contributions.amountMinor,
	tipMinor: contributions.tipMinor,
	currency: contributions.currency,
	paymentMethod: contributions.paymentMethod,
	anonymous: contributions.anonymous,
	message: contributions.message,
	quantity: contributions.quantity,
	materialMode: contributions.materialMode,
	returnBy: contributions.returnBy,
	hours: contributions.hours,
	hoursCounted: contributions.hoursCounted,
	/**
	 * A Stripe pledge whose card needed its holder at the deadline: its payment reference (JSON, see
	 * payments/stripe.ts StripeRef) names the Checkout Session sent to the donor. Same rule as
	 * awaitsConfirmation() there (a test checks both).
	 */
	awaitsConfirmation: sql<boolean>`(${contributions.paymentMethod} = 'stripe' AND ${contributions.status} = 'pledged'
		AND CASE WHEN ${contributions.paymentRef} LIKE '{%'
			THEN (${contributions.paymentRef}::jsonb ->> 'confirmSession') IS NOT NULL ELSE false END)`,
	/** A refund asked of Stripe and not yet confirmed (StripeRef.refunds): shown as requested, not as done. */
	refundRequested: sql<boolean>`(${contributions.paymentMethod} = 'stripe' AND ${contributions.status} = 'succeeded'
		AND CASE WHEN ${contributions.paymentRef} LIKE '{%'
			THEN coalesce(jsonb_array_length(${contributions.paymentRef}::jsonb -> 'refunds'), 0) > 0 ELSE false END)`,
	project: {
		id: projects.id,
		slug: projects.slug,
		title: projects.title,
		carrierName: projects.carrierName,
		offlineInstructions: projects.offlineInstructions
	},
	need: {
		id: needs.id,
		title: needs.title,
		unit: needs.unit,
		campaignModel: needs.campaignModel,
		deadline: needs.deadline,
		dropoff: needs.dropoff
	},
	shift: {
		id: shifts.id,
		startsAt: shifts.startsAt,
		endsAt: shifts.endsAt,
		place: shifts.place
	}
};

function mine(exec: Executor) {
	return exec
		.select(MINE)
		.from(contributions)
		.innerJoin(projects, eq(projects.id, contributions.projectId))
		.innerJoin(needs, eq(needs.id, contributions.needId))
		.leftJoin(shifts, eq(shifts.id, contributions.shiftId));
}

export type MyContribution = Awaited<ReturnType<typeof listMyContributions>>[number];

/**
 * One of the person's own contributions, with its project (title, slug, carrier) and need; `not_found`
 * for anybody else's, so that a contribution's existence is not revealed.
 */
export async function getMyContribution(actor: Actor | null, contributionId: string, exec: Executor = db()) {
	const me = requireActor(actor);
	if (!/^[0-9a-f-]{36}$/i.test(contributionId)) throw new AppError('not_found', 'error_not_found');
	const [row] = await mine(exec).where(
		and(eq(contributions.id, contributionId), eq(contributions.contributorId, me.id))
	);
	if (!row) throw new AppError('not_found', 'error_not_found');
	return row;
}

/** Everything the person gave (money, time, material, expertise), newest first, in one query. */
export async function listMyContributions(actor: Actor | null, exec: Executor = db()) {
	const me = requireActor(actor);
	return mine(exec)
		.where(eq(contributions.contributorId, me.id))
		.orderBy(desc(contributions.createdAt), desc(contributions.id));
}

/** Rows a page of /me/contributions and of the team's list shows. */
export const CONTRIBUTIONS_PAGE_SIZE = 50;

/**
 * The page number to show: `requested` when it is a page that exists, the last page when beyond it
 * (a page past the end after a cancellation shows the last rows, not an empty list), else 1.
 */
function pageWithin(requested: number | undefined, total: number, pageSize: number): number {
	const last = Math.max(1, Math.ceil(total / pageSize));
	const n = Number.isInteger(requested) && requested! > 0 ? requested! : 1;
	return Math.min(n, last);
}

/**
 * One page of what the person gave, newest first, and how many there are in all: the count and the
 * page use the contributor index (contributor_id, created_at), so the cost does not grow with the number
 * of contributions.
 */
export async function listMyContributionsPage(
	actor: Actor | null,
	options: { page?: number } = {},
	exec: Executor = db()
) {
	const me = requireActor(actor);
	const where = eq(contributions.contributorId, me.id);
	const [{ total }] = await exec.select({ total: count() }).from(contributions).where(where);
	const pageSize = CONTRIBUTIONS_PAGE_SIZE;
	const page = pageWithin(options.page, total, pageSize);
	const rows = await mine(exec)
		.where(where)
		.orderBy(desc(contributions.createdAt), desc(contributions.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize);
	return { rows, total, page, pageSize };
}

/** The shifts of a project the person is signed up for (to show "you are signed up" on its page). */
export async function mySignedUpShifts(
	actor: Actor | null,
	projectId: string,
	exec: Executor = db()
): Promise<string[]> {
	if (!actor) return [];
	const rows = await exec
		.select({ shiftId: contributions.shiftId })
		.from(contributions)
		.where(
			and(
				eq(contributions.projectId, projectId),
				eq(contributions.contributorId, actor.id),
				eq(contributions.kind, 'volunteers'),
				eq(contributions.status, 'signed_up')
			)
		);
	return rows.map((r) => r.shiftId!).filter(Boolean);
}

// --- the team's list -----------------------------------------------------------------------------

/** One row of the team's list of contributions. */
export type TeamContribution = Awaited<ReturnType<typeof projectContributions>>[number];

/** The WHERE clause of the team's list (filters from the URL: a value not among the choices is ignored). */
function teamWhere(projectId: string, filters: ContributionFilters): SQL {
	const f = contributionFiltersSchema.parse(filters);
	const where: SQL[] = [eq(contributions.projectId, projectId)];
	if (f.kind) where.push(eq(contributions.kind, f.kind));
	if (f.status) where.push(eq(contributions.status, f.status));
	if (f.needId) where.push(eq(contributions.needId, f.needId));
	return and(...where)!;
}

/** The team's rows: contributor (null for a deleted account), need, shift; needs in their order. */
function teamRows(where: SQL, page?: { limit: number; offset: number }) {
	const query = db()
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
		.where(where)
		.orderBy(asc(needs.position), asc(needs.createdAt), desc(contributions.createdAt), asc(contributions.id))
		.$dynamic();
	return (page ? query.limit(page.limit).offset(page.offset) : query).then((rows) =>
		rows.map((r) => ({ ...r, reference: offlineReference(r) }))
	);
}

/**
 * Everything the project received, for its team: every kind and status, newest first within each need
 * (needs in their order). One query: contributor (null for a deleted account), need, shift. The CSV
 * export uses it (every row); the page shows one page at a time (projectContributionsPage).
 */
export async function projectContributions(
	actor: Actor | null,
	projectId: string,
	filters: ContributionFilters = {}
) {
	await authorize(actor, 'contributions.view', { id: projectId });
	return teamRows(teamWhere(projectId, filters));
}

/**
 * One page of the team's list (CONTRIBUTIONS_PAGE_SIZE rows, same order and filters as
 * projectContributions) and how many rows match in all. A project with a thousand contributions is no
 * longer rendered (and serialized for the browser) a thousand rows at a time.
 */
export async function projectContributionsPage(
	actor: Actor | null,
	projectId: string,
	filters: ContributionFilters = {},
	options: { page?: number } = {}
) {
	await authorize(actor, 'contributions.view', { id: projectId });
	const where = teamWhere(projectId, filters);
	const [{ total }] = await db().select({ total: count() }).from(contributions).where(where);
	const pageSize = CONTRIBUTIONS_PAGE_SIZE;
	const page = pageWithin(options.page, total, pageSize);
	const rows = await teamRows(where, { limit: pageSize, offset: (page - 1) * pageSize });
	return { rows, total, page, pageSize };
}

/** The reference an offline donor was asked to write on their transfer or cheque (see payments/methods). */
function offlineReference(c: { id: string; paymentMethod: string | null }): string | null {
	return c.paymentMethod === 'offline' ? `PARVIS-${c.id.slice(0, 8).toUpperCase()}` : null;
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
