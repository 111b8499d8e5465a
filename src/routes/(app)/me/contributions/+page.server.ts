import { fail, redirect } from '@sveltejs/kit';
import { listMyContributions, cancelSignup, cancelPledge, cancelOffer } from '$lib/server/contributions';
import { receiptsForMyGifts } from '$lib/server/receipts';
import { AppError } from '$lib/server/platform/errors';
import { failForm } from '$lib/server/platform/forms';
import { formValues, own } from '$lib/shared/platform/forms';
import { t } from '$lib/i18n';
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

export const actions: Actions = {
	cancel: async ({ request, locals }) => {
		if (!locals.actor) redirect(303, `/signin?returnTo=${encodeURIComponent('/me/contributions')}`);
		const values = formValues(await request.formData());
		const id = String(values.id ?? '');
		const kind = String(values.kind ?? '');
		const tag = { form: 'cancel', target: id };
		const command = own<(typeof cancelByKind)[keyof typeof cancelByKind]>(cancelByKind, kind);
		if (!command)
			return fail(400, { values, errors: {}, message: t('contributions_error_cannot_cancel'), ...tag });
		try {
			await command(locals.actor, id);
		} catch (e) {
			if (e instanceof AppError && e.code === 'not_found')
				return failForm(new AppError('conflict', 'contributions_error_cannot_cancel'), values, tag);
			return failForm(e, values, tag);
		}
		return { cancelled: id };
	}
};
