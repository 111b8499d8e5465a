import { error, redirect } from '@sveltejs/kit';
import { getMyContribution } from '$lib/server/contributions';
import { completePayment, enabledMethods } from '$lib/server/payments';
import { loadOr404 } from '$lib/server/platform/route';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The donor's own gift paid with the test method; 404 for anybody else, for other methods, and when the
 * test method is off on this instance.
 */
async function testGift(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	if (!event.locals.actor)
		redirect(303, `/signin?returnTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	if (!enabledMethods().includes('test')) error(404, t('error_not_found'));
	const c = await loadOr404(() => getMyContribution(event.locals.actor, event.params.id));
	if (c.kind !== 'money' || c.paymentMethod !== 'test') error(404, t('error_not_found'));
	return c;
}

export const load: PageServerLoad = async (event) => {
	const c = await testGift(event);
	return {
		gift: {
			id: c.id,
			status: c.status,
			amountMinor: c.amountMinor ?? 0,
			tipMinor: c.tipMinor ?? 0,
			currency: c.currency ?? 'EUR',
			project: { slug: c.project.slug, title: c.project.title },
			need: { title: c.need.title }
		},
		step: event.url.searchParams.get('step') === 'confirm' ? 'confirm' : 'card'
	};
};

/**
 * Applies the test card's verdict through completePayment, like a provider's webhook would: the same
 * state machine as a real card (accepted, declined, or a 3-D Secure style confirmation first).
 */
async function complete(event: RequestEvent, outcome: 'succeeded' | 'failed') {
	const c = await testGift(event);
	if (c.status === 'pending')
		await completePayment({
			contributionId: c.id,
			providerEvent: `test:${c.id}`,
			outcome,
			amountMinor: (c.amountMinor ?? 0) + (c.tipMinor ?? 0),
			currency: c.currency!
		});
	redirect(303, `/contributions/${c.id}`);
}

export const actions: Actions = {
	pay: (event) => complete(event, 'succeeded'),
	decline: (event) => complete(event, 'failed'),
	challenge: async (event) => {
		const c = await testGift(event);
		redirect(303, c.status === 'pending' ? `/pay/test/${c.id}?step=confirm` : `/contributions/${c.id}`);
	},
	confirm: (event) => complete(event, 'succeeded'),
	cancel: (event) => complete(event, 'failed')
};
