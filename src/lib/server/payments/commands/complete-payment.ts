import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { giftStatusChange, lockContribution, setGiftStatus } from '../../contributions';
import { postGroupIf } from '../../ledger';
import { creditGift, giftGroup } from '../postings';
import { campaignOf, takesGifts } from '../campaign';
import { mailDonors, mailDonorsOf, type DonorMail } from '../mails';

const paymentEventSchema = z.object({
	contributionId: z.uuid('form_error_invalid'),
	providerEvent: z.string().min(1, 'form_error_required').max(2000, 'form_error_too_long'),
	outcome: z.enum(['succeeded', 'failed'], 'form_error_invalid'),
	amountMinor: z.number('form_error_invalid').int('form_error_invalid').nonnegative('form_error_invalid'),
	currency: z.string().length(3, 'form_error_invalid'),
	feeMinor: z
		.number('form_error_invalid')
		.int('form_error_invalid')
		.nonnegative('form_error_invalid')
		.optional()
});

export type PaymentEvent = z.input<typeof paymentEventSchema>;

/** What became of a provider's verdict: `late` means the campaign had closed, and nothing was taken. */
export type PaymentResult = 'credited' | 'pledged' | 'failed' | 'duplicate' | 'late';

/**
 * Applies a payment provider's verdict to a pending gift, idempotently and in any order of delivery:
 * keep-it-all gifts are credited to the ledger at once; all-or-nothing gifts become pledges, charged at
 * the deadline only if the goal is met. An amount or currency that differs from the gift is refused.
 * A success for a campaign that no longer takes gifts (closed, past its deadline, project cancelled) is
 * `late`: the gift is cancelled, audited and its donor told; the caller gives the money back to the
 * provider (refund or release).
 */
export async function completePayment(input: PaymentEvent): Promise<PaymentResult> {
	const event = parseInput(paymentEventSchema, input);
	const credited = await creditAtOnce(event);
	if (credited) {
		if (credited.result === 'credited') await mailDonorsOf([credited.mail], 'credited');
		return credited.result;
	}
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
	// The donor's mail, in their language, once the gift is recorded (or turned away as late).
	if (result === 'credited' || result === 'pledged') await mailDonors([event.contributionId], result);
	// Turned away: the donor hears what they paid (gift and tip) is coming back.
	if (result === 'late') await mailDonors([event.contributionId], 'late', { amountMinor: event.amountMinor });
	return result;
}

/** What creditAtOnce reads of a gift, its campaign and its donor, in one statement. */
type GiftRow = {
	id: string;
	kind: string;
	status: string;
	need_id: string;
	amount_minor: string | number | null;
	tip_minor: string | number | null;
	currency: string | null;
	campaign_model: string | null;
	closed_at: Date | string | null;
	deadline: Date | string | null;
	project_status: string;
	title: string;
	email: string;
	display_name: string;
	locale: string;
	deleted_at: Date | string | null;
};

const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/**
 * The common case in two statements: a success for a pending gift of the right amount to a keep-it-all
 * campaign that takes gifts. One read (the gift, its need and project, its donor for the mail), then one
 * statement that moves the gift from pending to succeeded and, only if it did, writes its ledger group
 * (postGroupIf): the conditional UPDATE takes the gift's row lock, so of two deliveries racing, one moves it
 * and credits, and the other finds it moved. Null when the case is another one (or the gift moved
 * meanwhile): applyPayment decides it, under the row lock, as before.
 */
async function creditAtOnce(
	event: z.output<typeof paymentEventSchema>
): Promise<{ result: 'credited' | 'duplicate'; mail: DonorMail } | null> {
	if (event.outcome !== 'succeeded') return null;
	const [c] = (
		await db().execute<GiftRow>(sql`
			SELECT c.id, c.kind, c.status, c.need_id, c.amount_minor, c.tip_minor, c.currency,
				n.campaign_model, n.closed_at, n.deadline, p.status AS project_status, p.title,
				u.email, u.display_name, u.locale, u.deleted_at
			FROM contributions c JOIN needs n ON n.id = c.need_id JOIN projects p ON p.id = n.project_id
				JOIN users u ON u.id = c.contributor_id
			WHERE c.id = ${event.contributionId}::uuid`)
	).rows;
	if (!c || c.kind !== 'money' || c.status !== 'pending') return null;
	const gift = {
		id: c.id,
		needId: c.need_id,
		amountMinor: Number(c.amount_minor),
		tipMinor: Number(c.tip_minor ?? 0),
		currency: c.currency
	};
	if (event.amountMinor !== gift.amountMinor + gift.tipMinor || event.currency.toUpperCase() !== c.currency)
		return null;
	const need = { closedAt: asDate(c.closed_at), deadline: asDate(c.deadline) };
	if (c.campaign_model !== 'keep_it_all' || !takesGifts(need, { status: c.project_status as never }))
		return null;
	const posted = await postGroupIf(
		db(),
		giftStatusChange(c.id, 'succeeded', { paymentRef: event.providerEvent, from: ['pending'] }),
		giftGroup(gift, event.providerEvent, event.feeMinor ?? 0)
	);
	if (!posted.guarded) return null;
	return {
		result: posted.id ? 'credited' : 'duplicate',
		mail: {
			email: c.email,
			name: c.display_name,
			locale: c.locale,
			deletedAt: asDate(c.deleted_at),
			title: c.title,
			amountMinor: gift.amountMinor,
			currency: c.currency
		}
	};
}

function applyPayment(event: z.output<typeof paymentEventSchema>): Promise<PaymentResult | 'mismatch'> {
	return db().transaction(async (tx) => {
		const c = await lockContribution(tx, event.contributionId);
		if (!c || c.kind !== 'money') throw new AppError('not_found', 'error_not_found');
		if (
			event.amountMinor !== c.amountMinor! + (c.tipMinor ?? 0) ||
			event.currency.toUpperCase() !== c.currency
		) {
			return 'mismatch' as const;
		}
		if (c.status !== 'pending') return 'duplicate';
		if (event.outcome === 'failed') {
			await setGiftStatus(tx, c.id, 'failed', { paymentRef: event.providerEvent });
			return 'failed';
		}
		const { need, project } = await campaignOf(tx, c.needId);
		if (!takesGifts(need, project)) {
			// Never left hanging: cancelled here, the money goes back through the provider.
			await setGiftStatus(tx, c.id, 'cancelled', { paymentRef: event.providerEvent });
			await audit(tx, {
				action: 'payments.late_payment',
				targetType: 'contribution',
				targetId: c.id,
				data: {
					providerEvent: event.providerEvent,
					amountMinor: event.amountMinor,
					currency: c.currency,
					projectStatus: project.status,
					needClosed: Boolean(need.closedAt)
				}
			});
			return 'late';
		}
		if (need.campaignModel === 'all_or_nothing') {
			await setGiftStatus(tx, c.id, 'pledged', { paymentRef: event.providerEvent });
			return 'pledged';
		}
		const group = await creditGift(tx, c, event.providerEvent, event.feeMinor ?? 0);
		await setGiftStatus(tx, c.id, 'succeeded', { paymentRef: event.providerEvent });
		return group ? 'credited' : 'duplicate';
	});
}
