import { eq } from 'drizzle-orm';
import { db, type Tx } from '../../db/client';
import { AppError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { postGroup } from '../../ledger';
import { needs } from '../../needs/schema';
import { contributions } from '../../contributions/schema';
import { requireActor, requireAdmin, type Actor } from '../../accounts';
import { requireOwner } from '../../projects';
import { mailDonors } from '../mails';

export interface PaymentEvent {
	contributionId: string;
	/** The provider's id for this payment: the ledger credits each one at most once. */
	providerEvent: string;
	outcome: 'succeeded' | 'failed';
	amountMinor: number;
	currency: string;
	feeMinor?: number;
}

/** Writes the gift's balanced group: provider clearing → campaign (+ tip to the platform, − fee). */
export async function creditGift(
	tx: Tx,
	c: typeof contributions.$inferSelect,
	providerEvent: string,
	feeMinor = 0
) {
	const amount = c.amountMinor!;
	const tip = c.tipMinor ?? 0;
	const currency = c.currency!;
	return postGroup(tx, {
		kind: 'gift',
		contributionId: c.id,
		providerEvent,
		entries: [
			{ account: { kind: 'provider_clearing', currency }, amountMinor: -(amount + tip - feeMinor) },
			...(feeMinor ? [{ account: { kind: 'fees' as const, currency }, amountMinor: -feeMinor }] : []),
			{ account: { kind: 'campaign', refId: c.needId, currency }, amountMinor: amount },
			...(tip ? [{ account: { kind: 'platform_tips' as const, currency }, amountMinor: tip }] : [])
		]
	});
}

/**
 * Applies a payment provider's verdict to a pending gift, idempotently and in any order of delivery:
 * keep-it-all gifts are credited to the ledger at once; all-or-nothing gifts become pledges, charged at
 * the deadline only if the goal is met. An amount or currency that differs from the gift is refused.
 */
export async function completePayment(
	event: PaymentEvent
): Promise<'credited' | 'pledged' | 'failed' | 'duplicate'> {
	const result = await applyPayment(event);
	if (result === 'mismatch') {
		// Audited outside the payment's transaction, so the record survives the refusal.
		await audit(db(), {
			action: 'payments.mismatch_refused',
			targetType: 'contribution',
			targetId: event.contributionId,
			data: { ...event }
		});
		console.warn(
			`[payments] refused event ${event.providerEvent}: amount/currency differ from contribution ${event.contributionId}`
		);
		throw new AppError('validation', 'payments_error_mismatch');
	}
	// The donor's confirmation mail, in their language, once the gift is recorded.
	if (result === 'credited' || result === 'pledged') await mailDonors([event.contributionId], result);
	return result;
}

function applyPayment(
	event: PaymentEvent
): Promise<'credited' | 'pledged' | 'failed' | 'duplicate' | 'mismatch'> {
	return db().transaction(async (tx) => {
		const [c] = await tx
			.select()
			.from(contributions)
			.where(eq(contributions.id, event.contributionId))
			.for('update');
		if (!c || c.kind !== 'money') throw new AppError('not_found', 'error_not_found');
		if (
			event.amountMinor !== c.amountMinor! + (c.tipMinor ?? 0) ||
			event.currency.toUpperCase() !== c.currency
		) {
			return 'mismatch' as const;
		}
		if (c.status !== 'pending') return 'duplicate';
		if (event.outcome === 'failed') {
			await tx
				.update(contributions)
				.set({ status: 'failed', paymentRef: event.providerEvent, updatedAt: new Date() })
				.where(eq(contributions.id, c.id));
			return 'failed';
		}
		const [need] = await tx.select().from(needs).where(eq(needs.id, c.needId));
		if (need.campaignModel === 'all_or_nothing') {
			await tx
				.update(contributions)
				.set({ status: 'pledged', paymentRef: event.providerEvent, updatedAt: new Date() })
				.where(eq(contributions.id, c.id));
			return 'pledged';
		}
		const group = await creditGift(tx, c, event.providerEvent, event.feeMinor ?? 0);
		await tx
			.update(contributions)
			.set({ status: 'succeeded', paymentRef: event.providerEvent, updatedAt: new Date() })
			.where(eq(contributions.id, c.id));
		return group ? 'credited' : 'duplicate';
	});
}

/**
 * The project's owner (its treasurer) or an administrator marks an offline gift (transfer, cheque, cash)
 * received; only then does it enter the ledger. Marking twice is refused.
 */
export async function markOfflineReceived(actor: Actor | null, contributionId: string): Promise<void> {
	const me = requireActor(actor);
	const [c] = await db().select().from(contributions).where(eq(contributions.id, contributionId));
	if (!c || c.kind !== 'money' || c.paymentMethod !== 'offline')
		throw new AppError('not_found', 'error_not_found');
	if (!me.isAdmin) await requireOwner(db(), me, c.projectId);
	else requireAdmin(me);
	if (c.status !== 'pending') throw new AppError('conflict', 'payments_error_already_received');
	const result = await completePayment({
		contributionId,
		providerEvent: `offline:${contributionId}`,
		outcome: 'succeeded',
		amountMinor: c.amountMinor! + (c.tipMinor ?? 0),
		currency: c.currency!
	});
	if (result === 'duplicate') throw new AppError('conflict', 'payments_error_already_received');
	await audit(db(), {
		actorId: me.id,
		action: 'payments.offline_received',
		targetType: 'contribution',
		targetId: contributionId
	});
}
