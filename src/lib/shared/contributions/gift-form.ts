import { z } from 'zod';
import { moneyAmount } from '../projects/schemas';
import { donateSchema, TIP_PERCENTS, type DonateInput, type PaymentMethodId } from './money';

/** Suggested gifts, in major units of the need's currency. */
export const SUGGESTED_GIFTS = [10, 25, 50, 100] as const;

const text = z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string());

/** The message key of a money field's first zod issue, worded for a gift. */
function moneyIssue(issues: { message: string }[]): string {
	const key = issues[0]?.message ?? 'form_error_amount';
	return key === 'needs_error_goal_min' ? 'give_error_amount_min' : key;
}

/**
 * The gift form on a project's page, as posted: a suggested amount or a free one (the free one wins when
 * typed), and a tip chosen as a percentage of the gift or as an amount (computed here, never trusted from
 * the browser). It gives the payments' `donate` input with amounts already in minor units, and errors on
 * the form's own fields (`amountOther`, `tipOther`, `method`, `message`). `methods`: the enabled ones.
 */
export function giftFormSchema(methods: readonly string[]) {
	return z
		.object({
			needId: text,
			amount: text,
			amountOther: text,
			tip: text,
			tipOther: text,
			method: text,
			message: text,
			anonymous: text,
			idempotencyKey: text
		})
		.transform((v, ctx): DonateInput & { needId: string } => {
			const issue = (field: string, message: string) =>
				ctx.addIssue({ code: 'custom', path: [field], message });
			let amountMinor = 0;
			if (v.amountOther !== '' || v.amount === 'other') {
				const r = moneyAmount.safeParse(v.amountOther);
				if (r.success) amountMinor = r.data;
				else
					issue(
						'amountOther',
						v.amountOther === '' ? 'give_error_amount_missing' : moneyIssue(r.error.issues)
					);
			} else if (SUGGESTED_GIFTS.map(String).includes(v.amount)) amountMinor = Number(v.amount) * 100;
			else issue('amountOther', 'give_error_amount_missing');

			let tipMinor = 0;
			if (v.tipOther !== '' || v.tip === 'other') {
				const r = donateSchema.shape.tipMinor.safeParse(v.tipOther);
				if (r.success) tipMinor = r.data;
				else issue('tipOther', moneyIssue(r.error.issues));
			} else if ((TIP_PERCENTS as readonly number[]).map(String).includes(v.tip || '0'))
				tipMinor = Math.round((amountMinor * Number(v.tip || '0')) / 100);
			else issue('tipOther', 'form_error_invalid');

			if (!methods.includes(v.method)) issue('method', 'contributions_error_method');
			if (v.message.length > 1000) issue('message', 'form_error_too_long');
			return {
				needId: v.needId,
				amountMinor,
				tipMinor,
				anonymous: v.anonymous === 'true',
				message: v.message,
				method: v.method as PaymentMethodId,
				idempotencyKey: v.idempotencyKey
			};
		});
}
