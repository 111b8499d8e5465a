import { and, desc, eq, sql } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import { AppError } from '../platform/errors';
import { requireActor, type Actor } from '../accounts';
import { projects } from '../projects/schema';
import { needs, shifts } from '../needs/schema';
import { contributions } from './schema';

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
