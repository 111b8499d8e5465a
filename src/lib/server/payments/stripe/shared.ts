// What the Stripe files share: the gift's payment reference, texts, the gift with its campaign, fees.
import type Stripe from 'stripe';
import { eq } from 'drizzle-orm';
import { isMessageKey, t, type Locale } from '$lib/i18n';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { config } from '../../platform/config';
import { users } from '../../accounts/schema';
import { projects } from '../../projects/schema';
import { needs } from '../../needs/schema';
import { contributions } from '../../contributions/schema';
import type { Contribution } from '../../contributions';
import { stripeClient } from './client';

export type { Contribution };

/**
 * What contribution.paymentRef holds for a Stripe gift: a PaymentIntent id (`pi_…`) once paid or
 * authorized, or this JSON once a card is saved or the donor has been asked to confirm.
 */
export interface StripeRef {
	paymentIntent?: string;
	setupIntent?: string;
	customer?: string;
	paymentMethod?: string;
	/** The Checkout Session sent to the donor when the off-session charge needed them. */
	confirmSession?: string;
	confirmUrl?: string;
	/** Refunds asked of Stripe and not yet confirmed by it: shown as pending, not yet in the ledger. */
	refunds?: { id: string; amountMinor: number }[];
	/** Payments that arrived for a gift no longer taking money, and were given back (refunded or released). */
	returned?: string[];
}

/** Reads contribution.paymentRef for a Stripe gift (a bare `pi_…` id or the JSON above). */
export function parseStripeRef(paymentRef: string | null | undefined): StripeRef {
	if (!paymentRef) return {};
	if (paymentRef.startsWith('{')) {
		try {
			const value: unknown = JSON.parse(paymentRef);
			if (value && typeof value === 'object') {
				const ref: StripeRef = {};
				for (const k of [
					'paymentIntent',
					'setupIntent',
					'customer',
					'paymentMethod',
					'confirmSession',
					'confirmUrl'
				] as const) {
					const v = (value as Record<string, unknown>)[k];
					if (typeof v === 'string') ref[k] = v;
				}
				const { refunds, returned } = value as Record<string, unknown>;
				if (Array.isArray(refunds))
					ref.refunds = refunds.filter(
						(r): r is { id: string; amountMinor: number } =>
							typeof r?.id === 'string' && Number.isSafeInteger(r?.amountMinor)
					);
				if (Array.isArray(returned)) ref.returned = returned.filter((r) => typeof r === 'string');
				return ref;
			}
		} catch {
			return {};
		}
	}
	return paymentRef.startsWith('pi_') ? { paymentIntent: paymentRef } : {};
}

/** Writes contribution.paymentRef for a Stripe gift. */
export function serializeRef(ref: StripeRef): string {
	return JSON.stringify(ref);
}

// Texts shown by Stripe or mailed, until they move to messages/*.json (used when the key exists there).
const TEXTS: Record<string, Record<Locale, string>> = {
	payments_stripe_tip: { fr: 'Pourboire pour Parvis', en: 'Tip to Parvis' },
	payments_stripe_pledge_notice: {
		fr: 'Votre carte sera débitée de {amount} à l’échéance de la campagne, seulement si l’objectif est atteint.',
		en: 'Your card will be charged {amount} when the campaign ends, only if its goal is reached.'
	},
	mail_payment_confirm_subject: {
		fr: 'Confirmez votre don à « {project} »',
		en: 'Confirm your gift to “{project}”'
	},
	mail_payment_confirm_body: {
		fr: 'La campagne « {project} » a atteint son objectif. Votre banque demande que vous confirmiez le paiement de {amount} : suivez le lien ci-dessous (valable 24 heures).',
		en: 'The campaign “{project}” reached its goal. Your bank asks you to confirm the payment of {amount}: follow the link below (valid for 24 hours).'
	},
	mail_payment_confirm_action: { fr: 'Confirmer le paiement', en: 'Confirm the payment' }
};

/** A text in the donor's language. */
export function text(key: string, locale: Locale, params: Record<string, string> = {}): string {
	if (isMessageKey(key)) return t(key, params, locale);
	const template = TEXTS[key]?.[locale] ?? TEXTS[key]?.fr ?? key;
	return template.replace(/\{(\w+)\}/g, (m, name: string) => params[name] ?? m);
}

/** An amount formatted for the donor. */
export function money(minor: number, currency: string, locale: Locale): string {
	return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
		style: 'currency',
		currency
	}).format(minor / 100);
}

/** A gift with what Stripe needs to know about it: campaign, project and donor. */
export async function loadGift(contributionId: string) {
	const [row] = await db()
		.select({ contribution: contributions, need: needs, project: projects, donor: users })
		.from(contributions)
		.innerJoin(needs, eq(needs.id, contributions.needId))
		.innerJoin(projects, eq(projects.id, contributions.projectId))
		.innerJoin(users, eq(users.id, contributions.contributorId))
		.where(eq(contributions.id, contributionId));
	if (!row || row.contribution.kind !== 'money') throw new AppError('not_found', 'error_not_found');
	return row;
}
export type Gift = Awaited<ReturnType<typeof loadGift>>;

/** The donor's page for a gift (Checkout returns there). */
export function contributionUrl(id: string): string {
	return `${config().publicUrl}/contributions/${id}`;
}

/** The Checkout line items of a gift: the gift, and the tip when there is one. */
export function lineItems(gift: Gift): Stripe.Checkout.SessionCreateParams.LineItem[] {
	const c = gift.contribution;
	const currency = c.currency!.toLowerCase();
	const locale = gift.donor.locale as Locale;
	const items: Stripe.Checkout.SessionCreateParams.LineItem[] = [
		{
			quantity: 1,
			price_data: {
				currency,
				unit_amount: c.amountMinor!,
				product_data: { name: `${gift.project.title} — ${gift.need.title}`.slice(0, 250) }
			}
		}
	];
	if (c.tipMinor)
		items.push({
			quantity: 1,
			price_data: {
				currency,
				unit_amount: c.tipMinor,
				product_data: { name: text('payments_stripe_tip', locale) }
			}
		});
	return items;
}

/** The id of an expandable Stripe field. */
export const asId = (v: string | { id: string } | null | undefined): string | null =>
	typeof v === 'string' ? v : (v?.id ?? null);

/**
 * Stripe's processing fee for a payment, from the balance transaction of its charge, in minor units of
 * the gift's currency: recorded in the ledger's fees account beside the gift, so the money page shows what
 * the provider kept. 0 (and a log line) when Stripe has not settled the charge yet or settles it in another
 * currency than the gift's (the ledger does not convert). A failed look-up throws: the webhook answers an
 * error and Stripe delivers the event again; the closing job is re-run.
 */
export async function stripeFee(paymentIntent: string, currency: string): Promise<number> {
	const pi = await stripeClient().paymentIntents.retrieve(paymentIntent, {
		expand: ['latest_charge.balance_transaction']
	});
	const charge = pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
	const bt =
		charge?.balance_transaction && typeof charge.balance_transaction === 'object'
			? charge.balance_transaction
			: null;
	if (!bt) {
		console.info(`[stripe] ${paymentIntent} has no balance transaction yet: no fee recorded`);
		return 0;
	}
	if (bt.currency.toUpperCase() !== currency.toUpperCase()) {
		console.warn(
			`[stripe] ${paymentIntent} settled in ${bt.currency} for a gift in ${currency}: fee not recorded`
		);
		return 0;
	}
	return bt.fee;
}
