import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { db } from '../../db/client';
import { audit } from '../../platform/audit';
import { lockProject, moveProject } from '../../projects';
import { needs } from '../../needs/schema';
import { contributions } from '../../contributions/schema';
import { creditGift } from '../commands/complete-payment';
import { mailDonors } from '../mails';
import { StripeConfirmationRequired } from '../stripe';

type Contribution = typeof contributions.$inferSelect;

export interface CloseOptions {
	/**
	 * Charges one pledge with the provider (the test method has nothing to call), and tells the fee the
	 * provider kept, if any. Tests inject failures here.
	 */
	charge?: (c: Contribution) => Promise<void | { feeMinor: number }>;
	/** Frees a pledge's card authorization when the goal is missed. */
	release?: (c: Contribution) => Promise<void>;
}

/**
 * Settles every all-or-nothing campaign whose deadline has passed: if the pledges reach the goal, each is
 * charged and credited exactly once (its own transaction, idempotent on `capture:<id>`), otherwise all are
 * released. Killed midway and run again, it finishes without charging anyone twice.
 */
export async function closeDueCampaigns(options: CloseOptions = {}): Promise<{ closed: number }> {
	const due = await db()
		.select()
		.from(needs)
		.where(
			and(
				eq(needs.kind, 'money'),
				eq(needs.campaignModel, 'all_or_nothing'),
				isNull(needs.closedAt),
				lt(needs.deadline, new Date())
			)
		);
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
		for (const c of pledges.filter((p) => p.status === 'pledged')) {
			let feeMinor = 0;
			if (met) {
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
			await db().transaction(async (tx) => {
				const [fresh] = await tx.select().from(contributions).where(eq(contributions.id, c.id)).for('update');
				if (fresh.status !== 'pledged') return; // settled by an earlier run
				if (met) await creditGift(tx, fresh, `capture:${fresh.id}`, feeMinor);
				await tx
					.update(contributions)
					.set({ status: met ? 'succeeded' : 'cancelled', updatedAt: new Date() })
					.where(eq(contributions.id, fresh.id));
			});
		}
		const settledNow = await db().transaction(async (tx) => {
			const [n] = await tx.select().from(needs).where(eq(needs.id, need.id)).for('update');
			if (n.closedAt) return false;
			await tx.update(needs).set({ closedAt: new Date() }).where(eq(needs.id, need.id));
			const p = await lockProject(tx, need.projectId);
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
