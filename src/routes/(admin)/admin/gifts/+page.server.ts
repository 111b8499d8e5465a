import {
	listGiftsForAdmin,
	refundDonation,
	recordPayout,
	needsWithBalance,
	payoutSchema
} from '$lib/server/payments';
import { refundSchema } from '$lib/shared/contributions/money';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { adminOnly } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	const q = event.url.searchParams.get('q') ?? '';
	const [gifts, balances] = await Promise.all([listGiftsForAdmin(actor, { q }), needsWithBalance(actor)]);
	return { q, gifts, balances };
};

export const actions: Actions = {
	payout: async (event) => {
		const actor = adminOnly(event);
		const data = await event.request.formData();
		const tag = { form: 'payout', target: 'payout' };
		const parsed = await parseForm(data, payoutSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await recordPayout(actor, parsed.data, String(data.get('idempotencyKey') ?? ''));
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
		return { paidOut: true };
	},
	refund: async (event) => {
		const actor = adminOnly(event);
		const data = await event.request.formData();
		const id = String(data.get('contributionId') ?? '');
		const tag = { form: 'refund', target: id };
		const parsed = await parseForm(data, refundSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			// The form's key makes a double click refund once.
			const result = await refundDonation(actor, id, parsed.data, String(data.get('idempotencyKey') ?? ''));
			return { refunded: result.refunded ? id : null, refundRequested: result.pending ? id : null };
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
	}
};
