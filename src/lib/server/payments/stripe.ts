// Stripe: Checkout for gifts, a saved card (SetupIntent) or a manual-capture authorization for
// all-or-nothing pledges, and the webhook that turns Stripe's verdicts into completePayment() calls.
// Every call to Stripe carries an idempotency key; every event is applied idempotently.
import Stripe from 'stripe';
import { and, eq, isNull } from 'drizzle-orm';
import { isMessageKey, t, type Locale } from '$lib/i18n';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { audit } from '../platform/audit';
import { config } from '../platform/config';
import { renderMail } from '../platform/mail-template';
import { queueMail } from '../platform/mail-job';
import { users } from '../accounts/schema';
import { requireActor, type Actor } from '../accounts';
import { projects } from '../projects/schema';
import { needs } from '../needs/schema';
import { contributions } from '../contributions/schema';
import { completePayment, creditGift } from './commands/complete-payment';
import type { PaymentMethod } from './methods';

type Contribution = typeof contributions.$inferSelect;

/**
 * All-or-nothing campaigns ending within this many days are authorized now and captured at the deadline
 * (a card authorization lasts about 7 days); longer ones save the card and charge it off-session.
 */
export const AUTHORIZE_WITHIN_DAYS = 7;

/** True when both Stripe secrets are set (the method is then offered and the webhook answers). */
export function stripeConfigured(): boolean {
	return Boolean(process.env.STRIPE_SECRET_KEY && process.env.STRIPE_WEBHOOK_SECRET);
}

let cached: { key: string; client: Stripe } | undefined;

/**
 * The Stripe client, built from the environment: STRIPE_SECRET_KEY, and for tests STRIPE_API_HOST,
 * STRIPE_API_PORT and STRIPE_API_PROTOCOL, which point the SDK at a local stand-in for Stripe's API.
 */
export function stripeClient(): Stripe {
	const secret = process.env.STRIPE_SECRET_KEY;
	if (!secret) throw new Error('Stripe is not configured (STRIPE_SECRET_KEY is not set)');
	const host = process.env.STRIPE_API_HOST || undefined;
	const port = process.env.STRIPE_API_PORT || undefined;
	const rawProtocol = process.env.STRIPE_API_PROTOCOL || undefined;
	if (rawProtocol && rawProtocol !== 'http' && rawProtocol !== 'https')
		throw new Error('STRIPE_API_PROTOCOL must be http or https');
	const protocol = rawProtocol as 'http' | 'https' | undefined;
	const key = [secret, host, port, protocol].join('|');
	if (cached?.key !== key) {
		cached = {
			key,
			client: new Stripe(secret, {
				host,
				port,
				protocol,
				maxNetworkRetries: 2,
				telemetry: false,
				appInfo: { name: 'Parvis' }
			})
		};
	}
	return cached.client;
}

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
				return ref;
			}
		} catch {
			return {};
		}
	}
	return paymentRef.startsWith('pi_') ? { paymentIntent: paymentRef } : {};
}

function serializeRef(ref: StripeRef): string {
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

function text(key: string, locale: Locale, params: Record<string, string> = {}): string {
	if (isMessageKey(key)) return t(key, params, locale);
	const template = TEXTS[key]?.[locale] ?? TEXTS[key]?.fr ?? key;
	return template.replace(/\{(\w+)\}/g, (m, name: string) => params[name] ?? m);
}

function money(minor: number, currency: string, locale: Locale): string {
	return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
		style: 'currency',
		currency
	}).format(minor / 100);
}

/** A gift with what Stripe needs to know about it: campaign, project and donor. */
async function loadGift(contributionId: string) {
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
type Gift = Awaited<ReturnType<typeof loadGift>>;

/** How a gift is collected: paid now, authorized now and captured at the deadline, or card saved. */
export type StripeFlow = 'pay' | 'authorize' | 'save';

export function stripeFlow(need: Pick<typeof needs.$inferSelect, 'campaignModel' | 'deadline'>): StripeFlow {
	if (need.campaignModel !== 'all_or_nothing') return 'pay';
	if (need.deadline && need.deadline.getTime() - Date.now() <= AUTHORIZE_WITHIN_DAYS * 24 * 3600_000)
		return 'authorize';
	return 'save';
}

function contributionUrl(id: string): string {
	return `${config().publicUrl}/contributions/${id}`;
}

function lineItems(gift: Gift): Stripe.Checkout.SessionCreateParams.LineItem[] {
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

// ---------------------------------------------------------------------------------------------
// Webhook

/** The Stripe-Signature header did not match the raw body: answer 400. */
export class StripeSignatureError extends Error {
	constructor(cause: unknown) {
		super('Invalid Stripe signature');
		this.cause = cause;
	}
}

export type StripeEventResult = 'credited' | 'pledged' | 'failed' | 'duplicate' | 'refused' | 'ignored';

const asId = (v: string | { id: string } | null | undefined): string | null =>
	typeof v === 'string' ? v : (v?.id ?? null);

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
		default:
			return 'ignored';
	}
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
	// Only a gift still to credit is worth asking Stripe for its fee (a re-delivered event is not).
	const feeMinor = c.status === 'pending' ? await stripeFee(paymentIntent, currency) : 0;
	const result = await complete(c, paymentIntent, 'succeeded', amountMinor, currency, feeMinor);
	if (result === 'duplicate' && (c.status === 'failed' || c.status === 'cancelled'))
		console.warn(
			`[stripe] ${paymentIntent} paid for contribution ${c.id} already ${c.status}: refund it in Stripe`
		);
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
	return complete(c, paymentIntent, 'succeeded', amountMinor, currency);
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
	return complete(
		c,
		serializeRef({ setupIntent: si.id, customer, paymentMethod }),
		'succeeded',
		c.amountMinor! + (c.tipMinor ?? 0),
		c.currency!
	);
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
	return db().transaction(async (tx) => {
		const [fresh] = await tx.select().from(contributions).where(eq(contributions.id, c.id)).for('update');
		if (fresh.status !== 'pledged') return 'duplicate';
		const group = await creditGift(tx, fresh, `capture:${fresh.id}`, feeMinor);
		await tx
			.update(contributions)
			.set({
				status: 'succeeded',
				paymentRef: serializeRef({ ...parseStripeRef(fresh.paymentRef), paymentIntent }),
				updatedAt: new Date()
			})
			.where(eq(contributions.id, fresh.id));
		await audit(tx, {
			action: 'payments.pledge_settled',
			targetType: 'contribution',
			targetId: fresh.id,
			data: { provider: 'stripe', paymentIntent }
		});
		return group ? 'credited' : 'duplicate';
	});
}

// ---------------------------------------------------------------------------------------------
// Deadline of all-or-nothing campaigns

/**
 * The off-session charge needs the donor (their bank asks for authentication, or the card was declined):
 * they were mailed a link to pay. The closing job should skip this pledge, leaving it `pledged`; the
 * webhook settles it when the donor pays.
 */
export class StripeConfirmationRequired extends Error {
	constructor(
		readonly contributionId: string,
		readonly reason: string,
		readonly confirmUrl: string
	) {
		super(`Contribution ${contributionId} needs the donor's confirmation (${reason})`);
		this.name = 'StripeConfirmationRequired';
	}
}

async function recordPaymentIntent(c: Contribution, paymentIntent: string) {
	await db()
		.update(contributions)
		.set({ paymentRef: serializeRef({ ...parseStripeRef(c.paymentRef), paymentIntent }) })
		.where(and(eq(contributions.id, c.id), eq(contributions.status, 'pledged')));
}

/**
 * Charges an all-or-nothing pledge at the deadline (pass it as closeDueCampaigns' `charge`): captures the
 * authorization, or charges the saved card off-session, with the idempotency key `capture:<id>` so that
 * a re-run never charges twice. Gifts by other methods have nothing to charge and return at once.
 * Throws StripeConfirmationRequired when the donor has to act (they are mailed, once).
 */
export async function chargePledgeWithStripe(c: Contribution): Promise<void | { feeMinor: number }> {
	if (c.paymentMethod !== 'stripe') return;
	const outcome = await charge(c);
	if ('reason' in outcome) return askDonor(c, outcome.reason);
	return { feeMinor: await stripeFee(outcome.paymentIntent, c.currency!) };
}

/** Charges or captures the pledge: the PaymentIntent that took the money, or why the donor is needed. */
async function charge(c: Contribution): Promise<{ paymentIntent: string } | { reason: string }> {
	const stripe = stripeClient();
	const ref = parseStripeRef(c.paymentRef);
	const idempotencyKey = `capture:${c.id}`;
	try {
		if (ref.customer && ref.paymentMethod) {
			const pi = await stripe.paymentIntents.create(
				{
					amount: c.amountMinor! + (c.tipMinor ?? 0),
					currency: c.currency!.toLowerCase(),
					customer: ref.customer,
					payment_method: ref.paymentMethod,
					off_session: true,
					confirm: true,
					metadata: { contribution_id: c.id, flow: 'deadline' }
				},
				{ idempotencyKey }
			);
			if (pi.status === 'succeeded') {
				await recordPaymentIntent(c, pi.id);
				return { paymentIntent: pi.id };
			}
			if (pi.status === 'requires_action' || pi.status === 'requires_payment_method')
				return { reason: 'authentication_required' };
			throw new Error(`[stripe] off-session charge of ${c.id} is ${pi.status}`);
		}
		if (ref.paymentIntent) {
			const pi = await stripe.paymentIntents.capture(ref.paymentIntent, {}, { idempotencyKey });
			if (pi.status !== 'succeeded') throw new Error(`[stripe] capture of ${c.id} is ${pi.status}`);
			return { paymentIntent: ref.paymentIntent };
		}
	} catch (e) {
		if (e instanceof Stripe.errors.StripeCardError) return { reason: e.code ?? 'card_declined' };
		if (
			e instanceof Stripe.errors.StripeInvalidRequestError &&
			e.code === 'payment_intent_unexpected_state' &&
			ref.paymentIntent &&
			!ref.customer
		) {
			// Captured already (a re-run), or the authorization lapsed: ask Stripe which.
			const pi = await stripe.paymentIntents.retrieve(ref.paymentIntent);
			return pi.status === 'succeeded' ? { paymentIntent: pi.id } : { reason: `authorization_${pi.status}` };
		}
		throw e;
	}
	throw new Error(`[stripe] contribution ${c.id} has no saved card nor authorization to charge`);
}

/** A Checkout Session in which the donor pays their pledge themselves (the off-session charge needed them). */
function confirmSession(gift: Gift, ref: StripeRef, idempotencyKey: string) {
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

/**
 * Opens a Checkout Session for the pledge and mails the donor (once), then throws. The mail links to the
 * donor's contribution page, whose button sends them to this session, or to a new one once it has
 * expired (Stripe's sessions last 24 hours; the link does not).
 */
async function askDonor(c: Contribution, reason: string): Promise<never> {
	const gift = await loadGift(c.id);
	const ref = parseStripeRef(gift.contribution.paymentRef);
	if (ref.confirmUrl) throw new StripeConfirmationRequired(c.id, reason, ref.confirmUrl);
	const locale = gift.donor.locale as Locale;
	const session = await confirmSession(gift, ref, `confirm:${c.id}`);
	const confirmUrl = session.url ?? contributionUrl(c.id);
	const before = gift.contribution.paymentRef;
	const asked = serializeRef({ ...ref, confirmSession: session.id, confirmUrl });
	const [claimed] = await db()
		.update(contributions)
		.set({ paymentRef: asked, updatedAt: new Date() })
		.where(
			and(
				eq(contributions.id, c.id),
				eq(contributions.status, 'pledged'),
				before === null ? isNull(contributions.paymentRef) : eq(contributions.paymentRef, before)
			)
		)
		.returning({ id: contributions.id });
	if (!claimed) throw new StripeConfirmationRequired(c.id, reason, confirmUrl); // asked by a concurrent run
	const total = money(c.amountMinor! + (c.tipMinor ?? 0), c.currency!, locale);
	const params = { project: gift.project.title, amount: total };
	try {
		await queueMail(
			renderMail({
				to: gift.donor.email,
				locale,
				subject: text('mail_payment_confirm_subject', locale, params),
				paragraphs: [
					t('mail_hello', { name: gift.donor.displayName }, locale),
					text('mail_payment_confirm_body', locale, params)
				],
				action: { label: text('mail_payment_confirm_action', locale), url: contributionUrl(c.id) }
			})
		);
	} catch (e) {
		// Not mailed: forget the request so that the next run asks again.
		await db()
			.update(contributions)
			.set({ paymentRef: before })
			.where(and(eq(contributions.id, c.id), eq(contributions.paymentRef, asked)));
		throw e;
	}
	await audit(db(), {
		action: 'payments.confirmation_requested',
		targetType: 'contribution',
		targetId: c.id,
		data: { provider: 'stripe', reason, session: session.id }
	});
	throw new StripeConfirmationRequired(c.id, reason, confirmUrl);
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
	const [renewed] = await db()
		.update(contributions)
		.set({
			paymentRef: serializeRef({ ...ref, confirmSession: session.id, confirmUrl: session.url }),
			updatedAt: new Date()
		})
		.where(
			and(
				eq(contributions.id, c.id),
				eq(contributions.status, 'pledged'),
				eq(contributions.paymentRef, c.paymentRef!)
			)
		)
		.returning({ id: contributions.id });
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

/**
 * Releases an all-or-nothing pledge whose campaign missed its goal: cancels a manual-capture
 * authorization so the donor's funds are freed at once (a saved card needs nothing). Idempotent.
 */
export async function releasePledgeWithStripe(c: Contribution): Promise<void> {
	if (c.paymentMethod !== 'stripe') return;
	const ref = parseStripeRef(c.paymentRef);
	if (!ref.paymentIntent || ref.customer) return;
	try {
		await stripeClient().paymentIntents.cancel(ref.paymentIntent, {}, { idempotencyKey: `release:${c.id}` });
	} catch (e) {
		if (e instanceof Stripe.errors.StripeInvalidRequestError && e.code === 'payment_intent_unexpected_state')
			return; // canceled or lapsed already
		throw e;
	}
}
