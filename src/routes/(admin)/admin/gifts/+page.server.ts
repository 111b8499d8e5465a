import { listGiftsForAdmin, refundDonation } from '$lib/server/payments';
import { refundSchema } from '$lib/shared/contributions/money';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { adminOnly } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	const q = event.url.searchParams.get('q') ?? '';
	return { q, gifts: await listGiftsForAdmin(actor, { q }) };
};

export const actions: Actions = {
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
			return { refunded: result.refunded ? id : null };
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
	}
};
