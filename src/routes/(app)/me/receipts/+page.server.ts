import {
	listMyReceipts,
	receiptableGifts,
	requestReceipt,
	requestYearlyReceipt,
	donorSchema
} from '$lib/server/receipts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const [receipts, gifts] = await Promise.all([listMyReceipts(locals.actor), receiptableGifts(locals.actor)]);
	// Coming from a gift on /me/contributions: its form is open.
	return { receipts, gifts, openGift: url.searchParams.get('gift') };
};

export const actions: Actions = {
	single: async (event) => {
		const data = await event.request.formData();
		const id = String(data.get('contributionId') ?? '');
		const tag = { form: 'single', target: id };
		const parsed = await parseForm(data, donorSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await requestReceipt(event.locals.actor, id, parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
		return { issued: true };
	},
	yearly: async (event) => {
		const data = await event.request.formData();
		const issuerId = String(data.get('issuerId') ?? '');
		const year = Number(data.get('year'));
		const tag = { form: 'yearly', target: `${issuerId}:${year}` };
		const parsed = await parseForm(data, donorSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await requestYearlyReceipt(event.locals.actor, issuerId, year, parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
		return { issued: true };
	}
};
