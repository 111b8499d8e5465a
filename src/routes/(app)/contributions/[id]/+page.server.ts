import { error, redirect } from '@sveltejs/kit';
import { getMyContribution } from '$lib/server/contributions';
import { confirmationCheckout, methodFor } from '$lib/server/payments';
import { AppError } from '$lib/server/platform/errors';
import { failForm } from '$lib/server/platform/forms';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	let c;
	try {
		c = await getMyContribution(locals.actor, params.id);
	} catch (e) {
		if (e instanceof AppError && e.code === 'not_found') error(404, t('error_not_found'));
		throw e;
	}
	// An offline gift waits for a transfer, cheque or cash carrying its reference.
	let reference: string | null = null;
	if (c.kind === 'money' && c.paymentMethod === 'offline' && c.status === 'pending') {
		const next = await methodFor('offline')?.start({
			id: c.id,
			amountMinor: c.amountMinor ?? 0,
			tipMinor: c.tipMinor ?? 0,
			currency: c.currency ?? 'EUR',
			projectSlug: c.project.slug
		});
		if (next?.kind === 'instructions') reference = next.reference;
	}
	// A pledge whose card needed its holder at the deadline: the donor pays it from here.
	const confirm = c.awaitsConfirmation;
	return { contribution: c, reference, confirm };
};

export const actions: Actions = {
	/** To Stripe's page for the pledge (a fresh session when the mailed one has expired). */
	confirm: async ({ locals, params }) => {
		if (!locals.actor) redirect(303, `/signin?returnTo=${encodeURIComponent(`/contributions/${params.id}`)}`);
		let url: string;
		try {
			url = await confirmationCheckout(locals.actor, params.id);
		} catch (e) {
			return failForm(e, {}, { form: 'confirm', target: params.id });
		}
		redirect(303, url);
	}
};
