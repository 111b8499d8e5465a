import { redirect } from '@sveltejs/kit';
import { getProjectPage } from '$lib/server/projects';
import { signUpForShift, pledgeMaterial, offerExpertise, mySignedUpShifts } from '$lib/server/contributions';
import { donate, enabledMethods } from '$lib/server/payments';
import { AppError } from '$lib/server/platform/errors';
import { formAction, loadOr404 } from '$lib/server/platform/route';
import { renderMarkdown } from '$lib/server/platform/markdown';
import { config } from '$lib/server/platform/config';
import type { FormValues } from '$lib/shared/platform/forms';
import { TIP_PERCENTS } from '$lib/shared/contributions/money';
import { giftFormSchema, SUGGESTED_GIFTS } from '$lib/shared/contributions/gift-form';
import { pledgeMaterialSchema, offerExpertiseSchema } from '$lib/shared/contributions/schemas';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// Not hydrated: every form on the page posts without JavaScript, and what JavaScript adds (the map, the
// gift form's total) is one small module (components/projects/project-page.enhance.ts) instead of the
// Svelte runtime, the router, the template and its messages (57 KB gzipped). No data is serialized.
export const csr = false;

/** Project states in which contributions are accepted (the commands check again). */
const OPEN = ['published', 'funded', 'not_funded', 'in_progress'];

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const page = await loadOr404(() => getProjectPage(locals.actor, params.slug));
	const cfg = config();
	return {
		...page,
		descriptionHtml: renderMarkdown(page.project.description),
		tileUrl: cfg.PARVIS_TILE_URL,
		tileAttribution: cfg.PARVIS_TILE_ATTRIBUTION,
		shareUrl: `${cfg.publicUrl}/projects/${params.slug}`,
		created: url.searchParams.get('created') === '1',
		giving: {
			open: OPEN.includes(page.project.status),
			signedIn: Boolean(locals.actor),
			methods: enabledMethods(),
			suggested: [...SUGGESTED_GIFTS],
			tipPercents: [...TIP_PERCENTS],
			/**
			 * One key per page view: a double click or a re-sent form makes one gift. Only signed-in people
			 * see the form: a visitor's page holds nothing personal (the public page cache keeps it).
			 */
			idempotencyKey: locals.actor ? crypto.randomUUID() : '',
			mySignups: await mySignedUpShifts(locals.actor, page.project.id),
			now: Date.now()
		}
	};
};

/** Visitors are sent to sign in, and come back to this project. */
function toSignIn(event: RequestEvent): never {
	redirect(303, `/signin?returnTo=${encodeURIComponent(`/projects/${event.params.slug}`)}`);
}

/**
 * A domain error as the form's answer: an anonymous visitor goes to the sign-in page instead, and the
 * command's field names are renamed to the form's (`amountMinor` → `amountOther`).
 */
async function onForm<T>(event: RequestEvent, run: Promise<T>, rename: Record<string, string> = {}) {
	try {
		return await run;
	} catch (e) {
		if (e instanceof AppError && e.code === 'unauthenticated') toSignIn(event);
		if (e instanceof AppError && Object.keys(e.fields).length) {
			const fields = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [rename[k] ?? k, v]));
			throw new AppError(e.code, e.messageKey, fields);
		}
		throw e;
	}
}

/** Contributing needs a person: visitors sign in first (before the form is read). */
const signedIn = { guard: (event: RequestEvent) => void (event.locals.actor || toSignIn(event)) };
const byField = (form: string, field: string) => (values: FormValues) => ({
	form,
	target: String(values[field] ?? '')
});

export const actions: Actions = {
	// The gift form is checked by its shared schema, which gives the donate input in minor units.
	donate: (event) =>
		formAction(
			giftFormSchema(enabledMethods()),
			async ({ needId, ...gift }) => {
				const result = await onForm(event, donate(event.locals.actor, needId, gift), {
					amountMinor: 'amountOther',
					tipMinor: 'tipOther'
				});
				redirect(
					303,
					result.next.kind === 'redirect' ? result.next.url : `/contributions/${result.contributionId}`
				);
			},
			{ ...signedIn, tag: byField('donate', 'needId') }
		)(event),
	signup: formAction(
		null,
		async (values, event) => {
			const shiftId = String(values.shiftId ?? '');
			await onForm(event, signUpForShift(event.locals.actor, shiftId));
			return { done: 'signup', target: shiftId, needId: String(values.needId ?? '') };
		},
		{ ...signedIn, tag: byField('signup', 'shiftId') }
	),
	pledge: formAction(
		pledgeMaterialSchema,
		async (data, event, values) => {
			const needId = String(values.needId ?? '');
			await onForm(event, pledgeMaterial(event.locals.actor, needId, data));
			return { done: 'pledge', target: needId };
		},
		{ ...signedIn, tag: byField('pledge', 'needId') }
	),
	offer: formAction(
		offerExpertiseSchema,
		async (data, event, values) => {
			const needId = String(values.needId ?? '');
			await onForm(event, offerExpertise(event.locals.actor, needId, data));
			return { done: 'offer', target: needId };
		},
		{ ...signedIn, tag: byField('offer', 'needId') }
	)
};
