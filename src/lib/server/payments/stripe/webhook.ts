// Stripe's webhook: verified deliveries turned into completePayment() calls, idempotent in any order.
import Stripe from 'stripe';
import { and, eq } from 'drizzle-orm';
import { db, type Executor } from '../../db/client';
import { auditLog } from '../../platform/schema';
import { AppError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { needs } from '../../needs/schema';
import { contributions } from '../../contributions/schema';
import { lockContribution, setGiftStatus } from '../../contributions';
import { completePayment } from '../commands/complete-payment';
import { creditGift } from '../postings';
import { campaignOf } from '../campaign';
import { stripeClient } from './client';
import { asId, parseStripeRef, serializeRef, stripeFee, type Contribution } from './shared';
import { applyChargeRefunds, applyStripeRefund, returnPayment, type RefundResult } from './refunds';

/** The Stripe-Signature header did not match the raw body: answer 400. */
export class StripeSignatureError extends Error {
	constructor(cause: unknown) {
		super('Invalid Stripe signature');
		this.cause = cause;
	}
}

/** What a delivery did; `late` and `returned`: money for a gift no longer taking it, given back. */
export type StripeEventResult =
	| 'credited'
	| 'pledged'
	| 'failed'
	| 'duplicate'
	| 'refused'
	| 'ignored'
	| 'late'
	| 'returned'
	| RefundResult;

/**
 * Verifies a webhook delivery on its raw body and applies it. Duplicated and out-of-order deliveries are
 * harmless: every payment is keyed on its PaymentIntent, and a gift leaves `pending` (or `pledged`) once.
 * A refused amount or currency is logged and audited, and acknowledged so that Stripe stops retrying.
 * Throws StripeSignatureError on a bad signature; any other error means "retry later".
 */
export async function handleStripeEvent(
	rawBody: string,
	signature: string
): Promise<{ type: string; result: StripeEventResult }> {
	const secret = process.env.STRIPE_WEBHOOK_SECRET;
	if (!secret) throw new Error('Stripe is not configured (STRIPE_WEBHOOK_SECRET is not set)');
	let event: Stripe.Event;
	try {
		event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
	} catch (e) {
		throw new StripeSignatureError(e);
	}
	return { type: event.type, result: await applyEvent(event) };
}

async function applyEvent(event: Stripe.Event): Promise<StripeEventResult> {
	switch (event.type) {
		case 'checkout.session.completed':
		case 'checkout.session.async_payment_succeeded': {
			const s = event.data.object;
			const id = s.metadata?.contribution_id ?? s.client_reference_id;
			if (!id) return 'ignored';
			if (s.mode === 'setup') {
				const setupIntent = asId(s.setup_intent);
				if (!setupIntent) return 'ignored';
				return saved(await stripeClient().setupIntents.retrieve(setupIntent));
			}
			const pi = asId(s.payment_intent);
			if (!pi || s.amount_total == null || !s.currency) return 'ignored';
			if (s.payment_status === 'paid') return paid(id, pi, s.amount_total, s.currency);
			// A manual-capture card payment completes the session unpaid: the card is authorized.
			if (s.metadata?.flow === 'authorize') return authorized(id, pi, s.amount_total, s.currency);
			return 'ignored'; // a delayed method (e.g. SEPA debit): async_payment_succeeded will follow
		}
		case 'checkout.session.async_payment_failed':
		case 'checkout.session.expired': {
			const s = event.data.object;
			const id = s.metadata?.contribution_id ?? s.client_reference_id;
			if (!id) return 'ignored';
			// A setup session has no amount: the abandoned card form fails the gift as it stands.
			if (s.mode === 'setup') return failed(id, s.id);
			if (s.amount_total == null || !s.currency) return 'ignored';
			return failed(id, asId(s.payment_intent) ?? s.id, {
				amountMinor: s.amount_total,
				currency: s.currency
			});
		}
		case 'payment_intent.succeeded': {
			const pi = event.data.object;
			const id = pi.metadata?.contribution_id;
			return id ? paid(id, pi.id, pi.amount_received, pi.currency) : 'ignored';
		}
		case 'payment_intent.amount_capturable_updated': {
			const pi = event.data.object;
			const id = pi.metadata?.contribution_id;
			return id && pi.amount_capturable > 0
				? authorized(id, pi.id, pi.amount_capturable, pi.currency)
				: 'ignored';
		}
		case 'payment_intent.payment_failed': {
			// Not final: on Checkout the donor may retry with another card in the same session, and an
			// off-session charge is handled by chargePledgeWithStripe. The final word is
			// checkout.session.expired / async_payment_failed.
			const pi = event.data.object;
			console.info(
				`[stripe] payment attempt failed for ${pi.metadata?.contribution_id ?? 'unknown'} (${pi.id}): ${pi.last_payment_error?.code ?? 'unknown'}`
			);
			return 'ignored';
		}
		case 'setup_intent.succeeded':
			return saved(event.data.object);
		// A refund confirmed, failed or made in Stripe's dashboard: the ledger follows, once per refund.
		case 'charge.refunded':
			return applyChargeRefunds(event.data.object);
		case 'refund.created':
		case 'refund.updated':
		case 'refund.failed':
		case 'charge.refund.updated':
			return applyStripeRefund(event.data.object);
		default:
			return 'ignored';
	}
}

/** Whether an audit row of this action exists for the gift. */
async function audited(exec: Executor, action: string, contributionId: string): Promise<boolean> {
	const [row] = await exec
		.select({ id: auditLog.id })
		.from(auditLog)
		.where(and(eq(auditLog.action, action), eq(auditLog.targetId, contributionId)))
		.limit(1);
	return Boolean(row);
}

async function stripeGift(contributionId: string): Promise<Contribution | null> {
	const [c] = /^[0-9a-f-]{36}$/i.test(contributionId)
		? await db().select().from(contributions).where(eq(contributions.id, contributionId))
		: [];
	if (!c || c.kind !== 'money' || c.paymentMethod !== 'stripe') {
		console.warn(`[stripe] event for unknown contribution ${contributionId}: ignored`);
		return null;
	}
	return c;
}

/** Refuses (logs and audits, outside any transaction) an amount or currency that is not the gift's. */
async function refusedMismatch(
	c: Contribution,
	providerEvent: string,
	amountMinor: number,
	currency: string
): Promise<boolean> {
	if (amountMinor === c.amountMinor! + (c.tipMinor ?? 0) && currency.toUpperCase() === c.currency)
		return false;
	console.warn(
		`[stripe] refused ${providerEvent}: ${amountMinor} ${currency} differs from contribution ${c.id}`
	);
	await audit(db(), {
		action: 'payments.mismatch_refused',
		targetType: 'contribution',
		targetId: c.id,
		data: { provider: 'stripe', providerEvent, amountMinor, currency }
	});
	return true;
}

async function complete(
	c: Contribution,
	providerEvent: string,
	outcome: 'succeeded' | 'failed',
	amountMinor: number,
	currency: string,
	feeMinor = 0
): Promise<StripeEventResult> {
	if (await refusedMismatch(c, providerEvent, amountMinor, currency)) return 'refused';
	try {
		return await completePayment({
			contributionId: c.id,
			providerEvent,
			outcome,
			amountMinor,
			currency,
			feeMinor
		});
	} catch (e) {
		if (e instanceof AppError && e.code === 'validation') return 'refused';
		throw e;
	}
}

/** Money taken: a pending gift is completed; a pledge (charged at the deadline or confirmed) is settled. */
async function paid(
	contributionId: string,
	paymentIntent: string,
	amountMinor: number,
	currency: string
): Promise<StripeEventResult> {
	const c = await stripeGift(contributionId);
	if (!c) return 'ignored';
	if (c.status === 'pledged') return settlePledge(c, paymentIntent, amountMinor, currency);
	if (await refusedMismatch(c, paymentIntent, amountMinor, currency)) return 'refused';
	// Paid after its session expired (or after the gift was cancelled): refunded at once, never lost.
	// The donor is told, unless they were when the gift was turned away as late.
	if (c.status === 'failed' || c.status === 'cancelled')
		return returnPayment(
			c,
			{ paymentIntent, kind: 'refund' },
			!(await audited(db(), 'payments.late_payment', c.id))
		);
	// Only a gift still to credit is worth asking Stripe for its fee (a re-delivered event is not).
	const feeMinor = c.status === 'pending' ? await stripeFee(paymentIntent, currency) : 0;
	const result = await complete(c, paymentIntent, 'succeeded', amountMinor, currency, feeMinor);
	// The campaign had closed: completePayment cancelled the gift and told the donor; refund it.
	if (result === 'late') await returnPayment(c, { paymentIntent, kind: 'refund' }, false);
	return result;
}

/** A card authorized (manual capture): the gift becomes a pledge, captured at the deadline. */
async function authorized(
	contributionId: string,
	paymentIntent: string,
	amountMinor: number,
	currency: string
): Promise<StripeEventResult> {
	const c = await stripeGift(contributionId);
	if (!c) return 'ignored';
	// Authorized after its session expired: the hold on the card is released at once.
	if (c.status === 'failed') return returnPayment(c, { paymentIntent, kind: 'release' }, true);
	const result = await complete(c, paymentIntent, 'succeeded', amountMinor, currency);
	if (result === 'late') await returnPayment(c, { paymentIntent, kind: 'release' }, false);
	return result;
}

async function failed(
	contributionId: string,
	providerEvent: string,
	amount?: { amountMinor: number; currency: string }
): Promise<StripeEventResult> {
	const c = await stripeGift(contributionId);
	if (!c) return 'ignored';
	const { amountMinor, currency } = amount ?? {
		amountMinor: c.amountMinor! + (c.tipMinor ?? 0),
		currency: c.currency!
	};
	return complete(c, providerEvent, 'failed', amountMinor, currency);
}

/** A card saved for an all-or-nothing pledge: remember customer and card, and mark the gift pledged. */
async function saved(si: Stripe.SetupIntent): Promise<StripeEventResult> {
	const id = si.metadata?.contribution_id;
	if (!id || si.status !== 'succeeded') return 'ignored';
	const c = await stripeGift(id);
	if (!c) return 'ignored';
	const customer = asId(si.customer);
	const paymentMethod = asId(si.payment_method);
	if (!customer || !paymentMethod) {
		console.warn(`[stripe] ${si.id} has no customer or card: contribution ${c.id} left ${c.status}`);
		return 'ignored';
	}
	const [need] = await db().select().from(needs).where(eq(needs.id, c.needId));
	if (need.campaignModel !== 'all_or_nothing') {
		// A saved card is no payment: it never completes a keep-it-all gift.
		console.warn(`[stripe] ${si.id} saved a card for keep-it-all contribution ${c.id}: ignored`);
		return 'ignored';
	}
	const result = await complete(
		c,
		serializeRef({ setupIntent: si.id, customer, paymentMethod }),
		'succeeded',
		c.amountMinor! + (c.tipMinor ?? 0),
		c.currency!
	);
	// Saved after the campaign closed: the card is detached, so it can never be charged.
	if (result === 'late') await returnPayment(c, { paymentMethod, kind: 'detach' }, false);
	return result;
}

/**
 * A pledge whose money arrived (captured at the deadline, or paid by the donor after a confirmation
 * request): credited once, on the same `capture:<id>` key as the closing job, whoever comes first.
 */
async function settlePledge(
	c: Contribution,
	paymentIntent: string,
	amountMinor: number,
	currency: string
): Promise<StripeEventResult> {
	if (await refusedMismatch(c, paymentIntent, amountMinor, currency)) return 'refused';
	const feeMinor = await stripeFee(paymentIntent, currency);
	const result = await db().transaction(async (tx): Promise<StripeEventResult> => {
		const fresh = await lockContribution(tx, c.id);
		if (!fresh || fresh.status !== 'pledged') return 'duplicate';
		const { project } = await campaignOf(tx, fresh.needId);
		if (project.status === 'cancelled') {
			// Paid by the donor while the project was being cancelled: not credited, refunded below.
			await setGiftStatus(tx, fresh.id, 'cancelled', { from: ['pledged'] });
			return 'late';
		}
		const group = await creditGift(tx, fresh, `capture:${fresh.id}`, feeMinor);
		await setGiftStatus(tx, fresh.id, 'succeeded', {
			paymentRef: serializeRef({ ...parseStripeRef(fresh.paymentRef), paymentIntent })
		});
		await audit(tx, {
			action: 'payments.pledge_settled',
			targetType: 'contribution',
			targetId: fresh.id,
			data: { provider: 'stripe', paymentIntent }
		});
		return group ? 'credited' : 'duplicate';
	});
	if (result === 'late') await returnPayment(c, { paymentIntent, kind: 'refund' }, true);
	return result;
}
