// Refunds through Stripe. The admin's refund is asked of Stripe's Refunds API (idempotency key) and
// stays "requested" until Stripe confirms it; the ledger is written only then, keyed on the refund's id
// (`stripe_refund:re_…`), so a refund made in Stripe's dashboard, a replayed event, and both paths
// together enter the ledger exactly once. Payments that arrive for a gift no longer taking money are
// given back here too.
import Stripe from 'stripe';
import { and, eq, or, sql } from 'drizzle-orm';
import { db, type Tx } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { contributions } from '../../contributions/schema';
import { lockContribution, setGiftPaymentRef, setGiftStatus } from '../../contributions';
import { debitRefund, giftPosition, reverseRefund } from '../postings';
import { mailDonors } from '../mails';
import { stripeClient, stripeConfigured } from './client';
import { asId, parseStripeRef, serializeRef, type Contribution } from './shared';

/** What became of a refund reported by Stripe. */
export type RefundResult = 'refunded' | 'pending' | 'failed' | 'duplicate' | 'ignored';

/** The total of refunds asked of Stripe and not yet confirmed (part of the gift already promised back). */
export function pendingRefundMinor(paymentRef: string | null | undefined): number {
	return (parseStripeRef(paymentRef).refunds ?? []).reduce((sum, r) => sum + r.amountMinor, 0);
}

/**
 * Asks Stripe to refund `amountMinor` of a credited gift (an administrator's decision, already
 * authorized by the caller). The gift is locked while Stripe is asked, so concurrent refunds are
 * serialized and what is asked never exceeds what is left (ledger minus refunds pending). The idempotency
 * key `refund:<gift>:<form key>` makes a re-submitted form ask once. The ledger and the donor's mail wait
 * for Stripe's confirmation, unless Stripe answers that the refund already succeeded.
 */
export async function requestStripeRefund(
	adminId: string,
	contributionId: string,
	amountMinor: number,
	reason: string,
	idempotencyKey: string
): Promise<{ refunded: boolean; pending: boolean }> {
	const refund = await db().transaction(async (tx) => {
		const c = await lockContribution(tx, contributionId);
		if (!c || c.kind !== 'money' || c.paymentMethod !== 'stripe')
			throw new AppError('not_found', 'error_not_found');
		const ref = parseStripeRef(c.paymentRef);
		if (c.status !== 'succeeded' || !ref.paymentIntent)
			throw new AppError('conflict', 'payments_error_not_refundable');
		const pos = await giftPosition(tx, c.id);
		const left = pos.credited - pos.refunded - pendingRefundMinor(c.paymentRef);
		if (amountMinor > left) throw fieldError('amountMinor', 'payments_error_refund_too_much');
		if (!stripeConfigured()) throw new AppError('conflict', 'payments_error_stripe_unavailable');
		let created: Stripe.Refund;
		try {
			created = await stripeClient().refunds.create(
				{
					payment_intent: ref.paymentIntent,
					amount: amountMinor,
					reason: 'requested_by_customer',
					metadata: { contribution_id: c.id }
				},
				{ idempotencyKey: `refund:${c.id}:${idempotencyKey}` }
			);
		} catch (e) {
			// Stripe out of reach or refusing: nothing was refunded, nothing is recorded.
			if (!(e instanceof Stripe.errors.StripeError)) throw e;
			console.error(`[stripe] refund of ${c.id}: ${e.message}`);
			throw new AppError('conflict', 'payments_error_stripe_unavailable');
		}
		const known = (ref.refunds ?? []).some((r) => r.id === created.id);
		if (!known && created.status !== 'failed' && created.status !== 'canceled') {
			await setGiftPaymentRef(
				tx,
				c.id,
				serializeRef({ ...ref, refunds: [...(ref.refunds ?? []), { id: created.id, amountMinor }] })
			);
			await audit(tx, {
				actorId: adminId,
				action: 'payments.refund_requested',
				targetType: 'contribution',
				targetId: c.id,
				data: { provider: 'stripe', refund: created.id, amountMinor, reason }
			});
		}
		return created;
	});
	if (refund.status === 'failed' || refund.status === 'canceled')
		throw new AppError('conflict', 'payments_error_refund_failed');
	// Card refunds often succeed at once: Stripe's answer is then its confirmation.
	if (refund.status === 'succeeded') {
		const result = await applyStripeRefund(refund, contributionId);
		return { refunded: result === 'refunded' || result === 'duplicate', pending: false };
	}
	return { refunded: false, pending: true };
}

/** The money gift paid by a PaymentIntent (its id alone, or inside the JSON reference). */
async function giftOfPaymentIntent(paymentIntent: string): Promise<string | null> {
	const [row] = await db()
		.select({ id: contributions.id })
		.from(contributions)
		.where(
			and(
				eq(contributions.kind, 'money'),
				eq(contributions.paymentMethod, 'stripe'),
				or(
					eq(contributions.paymentRef, paymentIntent),
					// CASE, not AND: PostgreSQL may evaluate the cast first, and a bare id is no JSON.
					sql`CASE WHEN ${contributions.paymentRef} LIKE '{%'
						THEN (${contributions.paymentRef}::jsonb ->> 'paymentIntent') = ${paymentIntent} ELSE false END`
				)
			)
		)
		.limit(1);
	return row?.id ?? null;
}

/**
 * Applies a refund as Stripe reports it (its API's answer, `refund.*` and `charge.refund.updated`
 * events, or a `charge.refunded` event's list): a succeeded refund is debited from the gift in the ledger
 * once (keyed on its id), the gift becomes `refunded` once nothing is left, and the donor is mailed then,
 * and only then; a failed or canceled one leaves the pending list. Refunds made in Stripe's dashboard are
 * found by their PaymentIntent.
 */
export async function applyStripeRefund(refund: Stripe.Refund, knownGift?: string): Promise<RefundResult> {
	const paymentIntent = asId(refund.payment_intent);
	const id =
		knownGift ??
		refund.metadata?.contribution_id ??
		(paymentIntent ? await giftOfPaymentIntent(paymentIntent) : null);
	if (!id || !/^[0-9a-f-]{36}$/i.test(id)) {
		console.warn(`[stripe] refund ${refund.id} matches no gift: ignored`);
		return 'ignored';
	}
	const outcome = await db().transaction(async (tx): Promise<{ result: RefundResult; posted?: number }> => {
		const c = await lockContribution(tx, id);
		if (!c || c.kind !== 'money' || c.paymentMethod !== 'stripe') return { result: 'ignored' };
		const ref = parseStripeRef(c.paymentRef);
		const pending = ref.refunds ?? [];
		const wasPending = pending.some((r) => r.id === refund.id);
		const withoutThis = () =>
			setGiftPaymentRef(
				tx,
				c.id,
				serializeRef({ ...ref, refunds: pending.filter((r) => r.id !== refund.id) })
			);
		if (refund.currency.toUpperCase() !== c.currency) {
			await refusedRefund(tx, c, refund, 'currency');
			return { result: 'ignored' };
		}
		if (refund.status === 'succeeded') {
			// A gift that never entered the ledger (a late payment given back) has nothing to debit.
			if (c.status !== 'succeeded' && c.status !== 'refunded') return { result: 'ignored' };
			const debit = await debitRefund(
				tx,
				c,
				refund.amount,
				`stripe_refund:${refund.id}`,
				refund.reason ?? ''
			);
			if (wasPending) await withoutThis();
			if (!debit.group) return { result: 'duplicate' };
			if (debit.posted < refund.amount) await refusedRefund(tx, c, refund, 'exceeds_gift');
			if (debit.fullyRefunded) await setGiftStatus(tx, c.id, 'refunded', { from: ['succeeded'] });
			await audit(tx, {
				action: 'payments.refunded',
				targetType: 'contribution',
				targetId: c.id,
				data: {
					provider: 'stripe',
					refund: refund.id,
					amountMinor: debit.posted,
					requestedHere: wasPending
				}
			});
			return { result: 'refunded', posted: debit.posted };
		}
		if (refund.status === 'failed' || refund.status === 'canceled') {
			// Failed after it succeeded: the money came back to us, so the ledger's refund is reversed.
			const reversed = await reverseRefund(
				tx,
				c,
				`stripe_refund:${refund.id}`,
				`stripe_refund_failed:${refund.id}`
			);
			if (reversed && c.status === 'refunded')
				await setGiftStatus(tx, c.id, 'succeeded', { from: ['refunded'] });
			if (!wasPending && !reversed) return { result: 'duplicate' };
			if (wasPending) await withoutThis();
			await audit(tx, {
				action: 'payments.refund_failed',
				targetType: 'contribution',
				targetId: c.id,
				data: {
					provider: 'stripe',
					refund: refund.id,
					reason: refund.failure_reason ?? refund.status,
					reversed: Boolean(reversed)
				}
			});
			return { result: 'failed' };
		}
		// Still pending at Stripe (a dashboard refund is shown as pending too, for a credited gift).
		if (!wasPending && c.status === 'succeeded') {
			await setGiftPaymentRef(
				tx,
				c.id,
				serializeRef({ ...ref, refunds: [...pending, { id: refund.id, amountMinor: refund.amount }] })
			);
			return { result: 'pending' };
		}
		return { result: wasPending ? 'pending' : 'ignored' };
	});
	// The donor hears of a refund once the money has moved.
	if (outcome.result === 'refunded') await mailDonors([id], 'refunded', { amountMinor: outcome.posted });
	return outcome.result;
}

/** Audits a refund that cannot be recorded as Stripe reports it (another currency, more than the gift). */
async function refusedRefund(
	tx: Tx,
	c: Contribution,
	refund: Stripe.Refund,
	why: 'currency' | 'exceeds_gift'
) {
	console.warn(`[stripe] refund ${refund.id} of contribution ${c.id}: ${why}`);
	await audit(tx, {
		action: 'payments.refund_mismatch',
		targetType: 'contribution',
		targetId: c.id,
		data: {
			provider: 'stripe',
			refund: refund.id,
			amountMinor: refund.amount,
			currency: refund.currency,
			why
		}
	});
}

/** Applies every refund of a charge (`charge.refunded`), asking Stripe for the list. */
export async function applyChargeRefunds(charge: Stripe.Charge): Promise<RefundResult> {
	const list = await stripeClient().refunds.list({ charge: charge.id, limit: 100 });
	const results = [];
	for (const refund of list.data) {
		if (!refund.payment_intent && charge.payment_intent) refund.payment_intent = charge.payment_intent;
		results.push(await applyStripeRefund(refund));
	}
	for (const r of ['refunded', 'pending', 'failed', 'duplicate'] as const) if (results.includes(r)) return r;
	return 'ignored';
}

/**
 * Gives back money Stripe took for a gift that no longer takes it (the campaign closed, the project was
 * cancelled, the Checkout Session expired first): refunds a payment, cancels an authorization, or
 * detaches a saved card, with an idempotency key per PaymentIntent, and records it once on the gift
 * (audit row; the donor mailed when `tell`). Never touches the ledger: the gift was never credited.
 */
export async function returnPayment(
	c: Contribution,
	what: { paymentIntent?: string; paymentMethod?: string; kind: 'refund' | 'release' | 'detach' },
	tell: boolean
): Promise<'returned' | 'duplicate'> {
	const stripe = stripeClient();
	const key = what.paymentIntent ?? what.paymentMethod!;
	let providerRef: string | null = null;
	try {
		if (what.kind === 'refund')
			providerRef = (
				await stripe.refunds.create(
					{
						payment_intent: what.paymentIntent!,
						reason: 'requested_by_customer',
						metadata: { contribution_id: c.id, returned: 'late' }
					},
					{ idempotencyKey: `return:${key}` }
				)
			).id;
		else if (what.kind === 'release')
			await stripe.paymentIntents.cancel(what.paymentIntent!, {}, { idempotencyKey: `return:${key}` });
		else await stripe.paymentMethods.detach(what.paymentMethod!, {}, { idempotencyKey: `return:${key}` });
	} catch (e) {
		// Given back already (refunded, canceled or detached before): nothing more to do.
		const done =
			e instanceof Stripe.errors.StripeInvalidRequestError &&
			['charge_already_refunded', 'payment_intent_unexpected_state', 'resource_missing'].includes(
				e.code ?? ''
			);
		if (!done) throw e;
	}
	const [fresh] = await db().select().from(contributions).where(eq(contributions.id, c.id));
	const ref = parseStripeRef(fresh.paymentRef);
	if (ref.returned?.includes(key)) return 'duplicate';
	const claimed = await setGiftPaymentRef(
		db(),
		c.id,
		serializeRef({ ...ref, returned: [...(ref.returned ?? []), key] }),
		{ paymentRef: fresh.paymentRef }
	);
	if (!claimed) return 'duplicate'; // recorded by a concurrent delivery
	await audit(db(), {
		action: 'payments.late_returned',
		targetType: 'contribution',
		targetId: c.id,
		data: { provider: 'stripe', kind: what.kind, paymentIntent: what.paymentIntent, refund: providerRef }
	});
	if (tell) await mailDonors([c.id], 'late', { amountMinor: c.amountMinor! + (c.tipMinor ?? 0) });
	return 'returned';
}
