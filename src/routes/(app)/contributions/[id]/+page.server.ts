import { error } from '@sveltejs/kit';
import { getMyContribution } from '$lib/server/contributions';
import { methodFor } from '$lib/server/payments';
import { AppError } from '$lib/server/platform/errors';
import { t } from '$lib/i18n';
import type { PageServerLoad } from './$types';

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
	return { contribution: c, reference };
};
