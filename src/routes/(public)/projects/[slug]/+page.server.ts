import { error, fail, redirect } from '@sveltejs/kit';
import { getProjectPage } from '$lib/server/projects';
import { signUpForShift, pledgeMaterial, offerExpertise, mySignedUpShifts } from '$lib/server/contributions';
import { donate, enabledMethods } from '$lib/server/payments';
import { AppError } from '$lib/server/platform/errors';
import { failForm, parseForm, type FormTag } from '$lib/server/platform/forms';
import { renderMarkdown } from '$lib/server/platform/markdown';
import { config } from '$lib/server/platform/config';
import { formValues, type FormValues } from '$lib/shared/platform/forms';
import { moneyAmount } from '$lib/shared/projects/schemas';
import { donateSchema, TIP_PERCENTS } from '$lib/shared/contributions/money';
import { pledgeMaterialSchema, offerExpertiseSchema } from '$lib/shared/contributions/schemas';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Project states in which contributions are accepted (the commands check again). */
const OPEN = ['published', 'funded', 'not_funded', 'in_progress'];
/** Suggested gifts, in major units of the need's currency. */
const SUGGESTED = [10, 25, 50, 100];

export const load: PageServerLoad = async ({ params, locals, url }) => {
	let page;
	try {
		page = await getProjectPage(locals.actor, params.slug);
	} catch (e) {
		if (e instanceof AppError && e.code === 'not_found') error(404, t('error_not_found'));
		throw e;
	}
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
			suggested: SUGGESTED,
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

/** A domain error as the form's answer; an anonymous visitor goes to the sign-in page instead. */
function failed(event: RequestEvent, e: unknown, values: FormValues, tag: FormTag, rename = {}) {
	if (e instanceof AppError && e.code === 'unauthenticated') toSignIn(event);
	if (e instanceof AppError && Object.keys(e.fields).length) {
		const map: Record<string, string> = rename;
		const fields = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [map[k] ?? k, v]));
		return failForm(new AppError(e.code, e.messageKey, fields), values, tag);
	}
	return failForm(e, values, tag);
}

const text = (v: FormValues[string] | undefined) => (typeof v === 'string' ? v.trim() : '');

/** The message of a money field's zod issue, worded for a gift. */
function moneyError(issues: { message: string }[]): string {
	const key = issues[0]?.message ?? 'form_error_amount';
	return t(key === 'needs_error_goal_min' ? 'give_error_amount_min' : key);
}

/**
 * Reads the gift form: a suggested amount or a free one (the free one wins when typed), and a tip chosen
 * as a percentage of the gift or as an amount (computed here, never trusted from the browser).
 */
function readGift(values: FormValues, methods: string[]) {
	const errors: Record<string, string> = {};
	let amountMinor = 0;
	const choice = text(values.amount);
	const other = text(values.amountOther);
	if (other !== '' || choice === 'other') {
		const r = moneyAmount.safeParse(other);
		if (r.success) amountMinor = r.data;
		else errors.amountOther = other === '' ? t('give_error_amount_missing') : moneyError(r.error.issues);
	} else if (SUGGESTED.map(String).includes(choice)) amountMinor = Number(choice) * 100;
	else errors.amountOther = t('give_error_amount_missing');

	let tipMinor = 0;
	const tipChoice = text(values.tip);
	const tipOther = text(values.tipOther);
	if (tipOther !== '' || tipChoice === 'other') {
		const r = donateSchema.shape.tipMinor.safeParse(tipOther);
		if (r.success) tipMinor = r.data;
		else errors.tipOther = moneyError(r.error.issues);
	} else if ((TIP_PERCENTS as readonly number[]).map(String).includes(tipChoice || '0'))
		tipMinor = Math.round((amountMinor * Number(tipChoice || '0')) / 100);
	else errors.tipOther = t('form_error_invalid');

	const method = text(values.method);
	if (!methods.includes(method)) errors.method = t('contributions_error_method');
	const message = text(values.message);
	if (message.length > 1000) errors.message = t('form_error_too_long');
	return { errors, amountMinor, tipMinor, method, message, anonymous: text(values.anonymous) === 'true' };
}

export const actions: Actions = {
	donate: async (event) => {
		if (!event.locals.actor) toSignIn(event);
		const values = formValues(await event.request.formData());
		const needId = text(values.needId);
		const tag = { form: 'donate', target: needId };
		const gift = readGift(values, enabledMethods());
		if (Object.keys(gift.errors).length)
			return fail(400, { values, errors: gift.errors, message: t('form_error_summary'), ...tag });
		let result;
		try {
			result = await donate(event.locals.actor, needId, {
				amountMinor: (gift.amountMinor / 100).toFixed(2),
				tipMinor: gift.tipMinor,
				anonymous: gift.anonymous,
				message: gift.message,
				method: gift.method as never,
				idempotencyKey: text(values.idempotencyKey)
			});
		} catch (e) {
			return failed(event, e, values, tag, { amountMinor: 'amountOther', tipMinor: 'tipOther' });
		}
		redirect(
			303,
			result.next.kind === 'redirect' ? result.next.url : `/contributions/${result.contributionId}`
		);
	},
	signup: async (event) => {
		if (!event.locals.actor) toSignIn(event);
		const values = formValues(await event.request.formData());
		const shiftId = text(values.shiftId);
		const tag = { form: 'signup', target: shiftId };
		try {
			await signUpForShift(event.locals.actor, shiftId);
		} catch (e) {
			return failed(event, e, values, tag);
		}
		return { done: 'signup', target: shiftId, needId: text(values.needId) };
	},
	pledge: async (event) => {
		if (!event.locals.actor) toSignIn(event);
		const data = await event.request.formData();
		const needId = String(data.get('needId') ?? '');
		const tag = { form: 'pledge', target: needId };
		const parsed = await parseForm(data, pledgeMaterialSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await pledgeMaterial(event.locals.actor, needId, parsed.data);
		} catch (e) {
			return failed(event, e, parsed.values, tag);
		}
		return { done: 'pledge', target: needId };
	},
	offer: async (event) => {
		if (!event.locals.actor) toSignIn(event);
		const data = await event.request.formData();
		const needId = String(data.get('needId') ?? '');
		const tag = { form: 'offer', target: needId };
		const parsed = await parseForm(data, offerExpertiseSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await offerExpertise(event.locals.actor, needId, parsed.data);
		} catch (e) {
			return failed(event, e, parsed.values, tag);
		}
		return { done: 'offer', target: needId };
	}
};
