import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { db } from '../../db/client';
import { audit } from '../../platform/audit';
import { lockProject, moveProject } from '../../projects';
import { projects } from '../../projects/schema';
import { needs } from '../../needs/schema';
import { closeCampaign } from '../../needs';
import { contributions } from '../../contributions/schema';
import { lockContribution, setGiftStatus, type Contribution } from '../../contributions';
import { creditGift } from '../postings';
import { OPEN_STATUSES } from '../campaign';
import { mailDonors } from '../mails';
import { StripeConfirmationRequired } from '../stripe/pledges';

export interface CloseOptions {
	/**
	 * Charges one pledge with the provider (the test method has nothing to call), and tells the fee the
	 * provider kept, if any. Tests inject failures here.
	 */
	charge?: (c: Contribution) => Promise<void | { feeMinor: number }>;
	/** Frees a pledge's card authorization when the goal is missed. */
	release?: (c: Contribution) => Promise<void>;
	/** Gives back a pledge charged while its project was being cancelled (it is not credited). */
	giveBack?: (c: Contribution) => Promise<void>;
}

/**
 * Settles every all-or-nothing campaign whose deadline has passed: if the pledges reach the goal, each is
 * charged and credited exactly once (its own transaction, idempotent on `capture:<id>`), otherwise all are
 * released. Killed midway and run again, it finishes without charging anyone twice.
 */
export async function closeDueCampaigns(options: CloseOptions = {}): Promise<{ closed: number }> {
	// Only campaigns of projects still open: a cancelled project's pledges are released, never charged.
	const due = (
		await db()
			.select({ need: needs })
			.from(needs)
			.innerJoin(projects, eq(projects.id, needs.projectId))
			.where(
				and(
					eq(needs.kind, 'money'),
					eq(needs.campaignModel, 'all_or_nothing'),
					isNull(needs.closedAt),
					lt(needs.deadline, new Date()),
					inArray(projects.status, [...OPEN_STATUSES] as (typeof projects.$inferSelect.status)[])
				)
			)
	).map((r) => r.need);
	let closed = 0;
	for (const need of due) {
		const pledges = await db()
			.select()
			.from(contributions)
			.where(
				and(eq(contributions.needId, need.id), sql`${contributions.status} IN ('pledged', 'succeeded')`)
			);
		const total = pledges.reduce((sum, c) => sum + (c.amountMinor ?? 0), 0);
		const met = total >= (need.goalMinor ?? 0);
		let cancelled = false;
		for (const c of pledges.filter((p) => p.status === 'pledged')) {
			let feeMinor = 0;
			if (met) {
				// Cancelled while this job runs: stop before the next charge; the release job takes over.
				const [p] = await db()
					.select({ status: projects.status })
					.from(projects)
					.where(eq(projects.id, need.projectId));
				if (!OPEN_STATUSES.has(p.status)) {
					cancelled = true;
					break;
				}
				try {
					feeMinor = (await options.charge?.(c))?.feeMinor ?? 0;
				} catch (e) {
					// The card needs its holder: the pledge stays pledged and the webhook settles it when they pay.
					if (e instanceof StripeConfirmationRequired) continue;
					throw e;
				}
			} else {
				await options.release?.(c);
			}
			const outcome = await db().transaction(async (tx) => {
				const fresh = await lockContribution(tx, c.id);
				if (fresh?.status !== 'pledged') return 'settled'; // settled by an earlier run
				if (met) {
					// Cancelled during the charge (the cancellation holds this row): not credited, given back.
					const [p] = await tx
						.select({ status: projects.status })
						.from(projects)
						.where(eq(projects.id, need.projectId))
						.for('share');
					if (!OPEN_STATUSES.has(p.status)) {
						await setGiftStatus(tx, fresh.id, 'cancelled', { from: ['pledged'] });
						await audit(tx, {
							action: 'payments.late_payment',
							targetType: 'contribution',
							targetId: fresh.id,
							data: { providerEvent: `capture:${fresh.id}`, projectStatus: p.status }
						});
						return 'give_back';
					}
					await creditGift(tx, fresh, `capture:${fresh.id}`, feeMinor);
				}
				await setGiftStatus(tx, fresh.id, met ? 'succeeded' : 'cancelled', { from: ['pledged'] });
				return 'done';
			});
			if (outcome === 'give_back') {
				await options.giveBack?.(c);
				cancelled = true;
				break;
			}
		}
		if (cancelled) continue;
		const settledNow = await db().transaction(async (tx) => {
			const [n] = await tx.select().from(needs).where(eq(needs.id, need.id)).for('update');
			if (n.closedAt) return false;
			const p = await lockProject(tx, need.projectId);
			if (!OPEN_STATUSES.has(p.status)) return false; // cancelled meanwhile: released, not settled
			await closeCampaign(tx, need.id);
			if (p.status === 'published')
				await moveProject(tx, p, met ? 'funded' : 'not_funded', null, met ? 'goal reached' : 'goal missed');
			await audit(tx, {
				action: met ? 'payments.campaign_captured' : 'payments.campaign_released',
				targetType: 'need',
				targetId: need.id,
				data: { total, goal: need.goalMinor }
			});
			return true;
		});
		// Contributors are told once, when the campaign is settled.
		if (settledNow)
			await mailDonors(
				pledges.map((p) => p.id),
				met ? 'captured' : 'released'
			);
		closed++;
	}
	return { closed };
}
