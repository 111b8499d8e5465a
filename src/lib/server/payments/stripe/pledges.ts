// All-or-nothing pledges at the deadline: capture the authorization or charge the saved card
// off-session; ask the donor when their bank needs them; release the authorization when the goal is missed.
import Stripe from 'stripe';
import { t, type Locale } from '$lib/i18n';
import { db } from '../../db/client';
import { audit } from '../../platform/audit';
import { renderMail } from '../../platform/mail-template';
import { queueMail } from '../../platform/mail-job';
import { setGiftPaymentRef } from '../../contributions';
import { contributions } from '../../contributions/schema';
import { eq } from 'drizzle-orm';
import { returnPayment } from './refunds';
import { stripeClient } from './client';
import { confirmSession } from './confirmation';
import {
	contributionUrl,
	loadGift,
	money,
	parseStripeRef,
	serializeRef,
	stripeFee,
	text,
	type Contribution
} from './shared';

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
	await setGiftPaymentRef(db(), c.id, serializeRef({ ...parseStripeRef(c.paymentRef), paymentIntent }), {
		status: 'pledged'
	});
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
	const claimed = await setGiftPaymentRef(db(), c.id, asked, { status: 'pledged', paymentRef: before });
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
		await setGiftPaymentRef(db(), c.id, before, { paymentRef: asked });
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

/**
 * Releases an all-or-nothing pledge (goal missed, or project cancelled): cancels a manual-capture
 * authorization so the donor's funds are freed at once, detaches a saved card so it can never be charged,
 * and expires a confirmation Checkout Session still open. Idempotent (keys `release:<id>`; what is gone
 * already is fine).
 */
export async function releasePledgeWithStripe(c: Contribution): Promise<void> {
	if (c.paymentMethod !== 'stripe') return;
	const ref = parseStripeRef(c.paymentRef);
	const stripe = stripeClient();
	const idempotencyKey = `release:${c.id}`;
	const gone = (e: unknown) => e instanceof Stripe.errors.StripeInvalidRequestError;
	try {
		if (ref.customer && ref.paymentMethod)
			await stripe.paymentMethods.detach(ref.paymentMethod, {}, { idempotencyKey });
		else if (ref.paymentIntent) await stripe.paymentIntents.cancel(ref.paymentIntent, {}, { idempotencyKey });
	} catch (e) {
		if (!gone(e)) throw e; // canceled, lapsed or detached already
	}
	if (ref.confirmSession)
		try {
			await stripe.checkout.sessions.expire(
				ref.confirmSession,
				{},
				{ idempotencyKey: `${idempotencyKey}:session` }
			);
		} catch (e) {
			if (!gone(e)) throw e; // expired or completed already
		}
}

/**
 * Refunds a pledge the closing job charged while its project was being cancelled (pass it as
 * closeDueCampaigns' `giveBack`): the PaymentIntent recorded on the gift is refunded once, its donor told.
 */
export async function givePledgeBackWithStripe(c: Contribution): Promise<void> {
	if (c.paymentMethod !== 'stripe') return;
	const [fresh] = await db().select().from(contributions).where(eq(contributions.id, c.id));
	const paymentIntent = parseStripeRef(fresh.paymentRef).paymentIntent;
	if (paymentIntent) await returnPayment(fresh, { paymentIntent, kind: 'refund' }, true);
}
