import {
	listMyReceipts,
	receiptableGifts,
	requestReceipt,
	requestYearlyReceipt,
	donorSchema
} from '$lib/server/receipts';
import { formAction } from '$lib/server/platform/route';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const [receipts, gifts] = await Promise.all([listMyReceipts(locals.actor), receiptableGifts(locals.actor)]);
	// Coming from a gift on /me/contributions: its form is open.
	return { receipts, gifts, openGift: url.searchParams.get('gift') };
};

export const actions: Actions = {
	single: formAction(
		donorSchema,
		async (data, event, values) => {
			await requestReceipt(event.locals.actor, String(values.contributionId ?? ''), data);
			return { issued: true };
		},
		(values) => ({ form: 'single', target: String(values.contributionId ?? '') })
	),
	yearly: formAction(
		donorSchema,
		async (data, event, values) => {
			await requestYearlyReceipt(
				event.locals.actor,
				String(values.issuerId ?? ''),
				Number(values.year),
				data
			);
			return { issued: true };
		},
		(values) => ({ form: 'yearly', target: `${String(values.issuerId ?? '')}:${Number(values.year)}` })
	)
};
