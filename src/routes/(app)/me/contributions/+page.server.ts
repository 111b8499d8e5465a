import { redirect } from '@sveltejs/kit';
import { listMyContributions, cancelSignup, cancelPledge, cancelOffer } from '$lib/server/contributions';
import { receiptsForMyGifts } from '$lib/server/receipts';
import { AppError } from '$lib/server/platform/errors';
import { formAction } from '$lib/server/platform/route';
import { own } from '$lib/shared/platform/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const [contributions, receipts] = await Promise.all([
		listMyContributions(locals.actor),
		receiptsForMyGifts(locals.actor)
	]);
	// Each credited gift carries its tax receipt (to download) or the offer to ask for one.
	return { contributions: contributions.map((c) => ({ ...c, receipt: receipts.get(c.id) ?? null })) };
};

/** The cancel command of each kind (money is never cancelled here: refunds go through the team). */
const cancelByKind = {
	volunteers: cancelSignup,
	material: cancelPledge,
	expertise: cancelOffer
} as const;

const cannotCancel = () => new AppError('validation', 'contributions_error_cannot_cancel');

export const actions: Actions = {
	cancel: formAction(
		null,
		async (values, { locals }) => {
			if (!locals.actor) redirect(303, `/signin?returnTo=${encodeURIComponent('/me/contributions')}`);
			const id = String(values.id ?? '');
			const command = own<(typeof cancelByKind)[keyof typeof cancelByKind]>(
				cancelByKind,
				String(values.kind ?? '')
			);
			if (!command) throw cannotCancel();
			try {
				await command(locals.actor, id);
			} catch (e) {
				// Not the person's, or no longer cancellable: the same answer, which reveals nothing.
				if (e instanceof AppError && e.code === 'not_found')
					throw new AppError('conflict', 'contributions_error_cannot_cancel');
				throw e;
			}
			return { cancelled: id };
		},
		(values) => ({ form: 'cancel', target: String(values.id ?? '') })
	)
};
