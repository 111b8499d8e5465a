// The donor's confirmation of a pledge that needed them: the Checkout Session, renewed once expired.
import Stripe from 'stripe';
import type { Locale } from '$lib/i18n';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { requireActor, type Actor } from '../../accounts';
import { setGiftPaymentRef } from '../../contributions';
import { stripeClient, stripeConfigured } from './client';
import {
	contributionUrl,
	lineItems,
	loadGift,
	parseStripeRef,
	serializeRef,
	type Contribution,
	type Gift,
	type StripeRef
} from './shared';

/** A Checkout Session in which the donor pays their pledge themselves (the off-session charge needed them). */
export function confirmSession(gift: Gift, ref: StripeRef, idempotencyKey: string) {
	const c = gift.contribution;
	const metadata = { contribution_id: c.id, flow: 'confirm' };
	return stripeClient().checkout.sessions.create(
		{
			mode: 'payment',
			client_reference_id: c.id,
			metadata,
			locale: gift.donor.locale as Locale,
			line_items: lineItems(gift),
			payment_intent_data: { metadata },
			...(ref.customer ? { customer: ref.customer } : { customer_email: gift.donor.email }),
			success_url: contributionUrl(c.id),
			cancel_url: contributionUrl(c.id)
		},
		{ idempotencyKey }
	);
}

/** Whether a Stripe pledge waits for its donor to pay it themselves (asked by mail at the deadline). */
export function awaitsConfirmation(
	c: Pick<Contribution, 'kind' | 'paymentMethod' | 'status' | 'paymentRef'>
): boolean {
	return (
		c.kind === 'money' &&
		c.paymentMethod === 'stripe' &&
		c.status === 'pledged' &&
		Boolean(parseStripeRef(c.paymentRef).confirmSession)
	);
}

/**
 * The donor goes to pay a pledge that needs them: the Checkout Session already open, or, once it has
 * expired, a new one (keyed on the session it replaces, so that two clicks open one). Returns its URL.
 * Only the donor may; only while the pledge waits for them.
 */
export async function confirmationCheckout(actor: Actor | null, contributionId: string): Promise<string> {
	const me = requireActor(actor);
	// A malformed id in the URL is a page that does not exist, not a field to correct.
	if (!/^[0-9a-f-]{36}$/i.test(contributionId)) throw new AppError('not_found', 'error_not_found');
	const gift = await loadGift(contributionId);
	const c = gift.contribution;
	if (c.contributorId !== me.id) throw new AppError('not_found', 'error_not_found');
	if (!awaitsConfirmation(c)) throw new AppError('conflict', 'payments_error_no_confirmation');
	if (!stripeConfigured()) throw new AppError('conflict', 'payments_error_stripe_unavailable');
	const ref = parseStripeRef(c.paymentRef);
	let session: Stripe.Checkout.Session;
	try {
		const current = await stripeClient().checkout.sessions.retrieve(ref.confirmSession!);
		if (current.status === 'open' && current.url) return current.url;
		if (current.status === 'complete') throw new AppError('conflict', 'payments_error_confirmation_received');
		session = await confirmSession(gift, ref, `confirm:${c.id}:${ref.confirmSession}`);
	} catch (e) {
		// Stripe out of reach (or refusing): the donor is told to come back; nothing has changed.
		if (!(e instanceof Stripe.errors.StripeError)) throw e;
		console.error(`[stripe] confirmation of ${c.id}: ${e.message}`);
		throw new AppError('conflict', 'payments_error_stripe_unavailable');
	}
	if (!session.url) throw new Error(`[stripe] session ${session.id} has no URL`);
	const renewed = await setGiftPaymentRef(
		db(),
		c.id,
		serializeRef({ ...ref, confirmSession: session.id, confirmUrl: session.url }),
		{ status: 'pledged', paymentRef: c.paymentRef! }
	);
	if (renewed)
		await audit(db(), {
			actorId: me.id,
			action: 'payments.confirmation_renewed',
			targetType: 'contribution',
			targetId: c.id,
			data: { provider: 'stripe', expired: ref.confirmSession, session: session.id }
		});
	return session.url;
}
