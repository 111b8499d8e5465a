import { redirect } from '@sveltejs/kit';
import { getMyContribution } from '$lib/server/contributions';
import { confirmationCheckout, methodFor } from '$lib/server/payments';
import { formAction, loadOr404 } from '$lib/server/platform/route';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const c = await loadOr404(() => getMyContribution(locals.actor, params.id));
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
	confirm: formAction(
		null,
		async (_values, { locals, params }) => {
			redirect(303, await confirmationCheckout(locals.actor, params.id));
		},
		{
			tag: (_values, { params }) => ({ form: 'confirm', target: params.id }),
			guard: ({ locals, params }) => {
				if (!locals.actor)
					redirect(303, `/signin?returnTo=${encodeURIComponent(`/contributions/${params.id}`)}`);
			}
		}
	)
};
