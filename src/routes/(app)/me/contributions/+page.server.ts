import { redirect } from '@sveltejs/kit';
import {
	listMyContributionsPage,
	cancelSignup,
	cancelPledge,
	cancelOffer,
	type MyContribution
} from '$lib/server/contributions';
import { receiptsForMyGifts } from '$lib/server/receipts';
import { AppError } from '$lib/server/platform/errors';
import { formAction } from '$lib/server/platform/route';
import { own } from '$lib/shared/platform/forms';
import type { Actions, PageServerLoad } from './$types';

/** What the list shows of a contribution (what is sent to the browser: not the whole row). */
function listed(c: MyContribution) {
	return {
		id: c.id,
		kind: c.kind,
		status: c.status,
		createdAt: c.createdAt,
		amountMinor: c.amountMinor,
		tipMinor: c.tipMinor,
		currency: c.currency,
		paymentMethod: c.paymentMethod,
		quantity: c.quantity,
		materialMode: c.materialMode,
		returnBy: c.returnBy,
		hours: c.hours,
		awaitsConfirmation: c.awaitsConfirmation,
		refundRequested: c.refundRequested,
		project: { slug: c.project.slug, title: c.project.title },
		need: { title: c.need.title, unit: c.need.unit },
		shift: c.shift ? { startsAt: c.shift.startsAt, endsAt: c.shift.endsAt, place: c.shift.place } : null
	};
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const requested = Number(url.searchParams.get('page'));
	const [list, receipts] = await Promise.all([
		listMyContributionsPage(locals.actor, { page: requested }),
		receiptsForMyGifts(locals.actor)
	]);
	// Each credited gift carries its tax receipt (to download) or the offer to ask for one.
	return {
		contributions: list.rows.map((c) => ({ ...listed(c), receipt: receipts.get(c.id) ?? null })),
		total: list.total,
		page: list.page,
		pageSize: list.pageSize
	};
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
