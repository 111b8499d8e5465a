// Stripe as a PaymentMethod: Checkout for every gift (paid now, authorized, or card saved for later).
import type Stripe from 'stripe';
import type { Locale } from '$lib/i18n';
import { needs } from '../../needs/schema';
import type { PaymentMethod } from '../types';
import { stripeClient } from './client';
import { contributionUrl, lineItems, loadGift, money, text } from './shared';

/**
 * All-or-nothing campaigns ending within this many days are authorized now and captured at the deadline
 * (a card authorization lasts about 7 days); longer ones save the card and charge it off-session.
 */
export const AUTHORIZE_WITHIN_DAYS = 7;

/** How a gift is collected: paid now, authorized now and captured at the deadline, or card saved. */
export type StripeFlow = 'pay' | 'authorize' | 'save';

/** The flow of a gift to this need. */
export function stripeFlow(need: Pick<typeof needs.$inferSelect, 'campaignModel' | 'deadline'>): StripeFlow {
	if (need.campaignModel !== 'all_or_nothing') return 'pay';
	if (need.deadline && need.deadline.getTime() - Date.now() <= AUTHORIZE_WITHIN_DAYS * 24 * 3600_000)
		return 'authorize';
	return 'save';
}

/** Stripe's Checkout for every gift: the page is Stripe's, the verdict comes back by webhook. */
export const stripeMethod: PaymentMethod = {
	id: 'stripe',
	async start(c) {
		const gift = await loadGift(c.id);
		const contribution = gift.contribution;
		const flow = stripeFlow(gift.need);
		const locale = gift.donor.locale as Locale;
		const stripe = stripeClient();
		const metadata = { contribution_id: contribution.id, flow };
		const description = `${gift.project.title} — ${gift.need.title}`.slice(0, 500);
		const base: Stripe.Checkout.SessionCreateParams = {
			client_reference_id: contribution.id,
			metadata,
			locale,
			success_url: contributionUrl(contribution.id),
			cancel_url: contributionUrl(contribution.id)
		};
		let params: Stripe.Checkout.SessionCreateParams;
		if (flow === 'save') {
			// The card is saved on a customer of its own, to be charged off-session at the deadline.
			const customer = await stripe.customers.create(
				{
					email: gift.donor.email,
					name: gift.donor.displayName,
					metadata: { contribution_id: contribution.id }
				},
				{ idempotencyKey: `customer:${contribution.id}` }
			);
			const total = contribution.amountMinor! + (contribution.tipMinor ?? 0);
			params = {
				...base,
				mode: 'setup',
				customer: customer.id,
				currency: contribution.currency!.toLowerCase(),
				allowed_payment_method_types: ['card'],
				setup_intent_data: { metadata, description },
				custom_text: {
					submit: {
						message: text('payments_stripe_pledge_notice', locale, {
							amount: money(total, contribution.currency!, locale)
						})
					}
				}
			};
		} else {
			params = {
				...base,
				mode: 'payment',
				customer_email: gift.donor.email,
				line_items: lineItems(gift),
				payment_intent_data: {
					metadata,
					description,
					...(flow === 'authorize' ? { capture_method: 'manual' as const } : {})
				},
				...(flow === 'authorize' ? { allowed_payment_method_types: ['card'] } : {})
			};
		}
		const session = await stripe.checkout.sessions.create(params, {
			idempotencyKey: `checkout:${contribution.id}`
		});
		return { kind: 'redirect', url: session.url ?? contributionUrl(contribution.id) };
	}
};
