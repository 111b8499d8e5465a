import { fail, error, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { formValues, type FormValues } from '$lib/shared/platform/forms';
import { isMessageKey, t } from '$lib/i18n';
import { AppError } from './errors';

/** Fields never sent back to the browser after a failed submit. */
const SECRET_FIELDS = /password|token|secret/i;

export interface FormFailure {
	values: FormValues;
	errors: Record<string, string>;
	/** A message for the whole form (shown in the error summary). */
	message?: string;
	/** Which form of the page failed, and for which item (pages with several forms). */
	form?: string;
	target?: string;
}

/** Names the form (and item) a failure belongs to, on pages with several forms. */
export interface FormTag {
	form: string;
	target?: string;
}

function keepable(values: FormValues): FormValues {
	return Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET_FIELDS.test(k) || k === 'token'));
}

/** Maps one zod issue to a message key and its parameters. */
function issueMessage(issue: z.core.$ZodIssue): string {
	if (issue.message && isMessageKey(issue.message)) return t(issue.message);
	switch (issue.code) {
		case 'too_small':
			return Number(issue.minimum) <= 1 && issue.origin === 'string'
				? t('form_error_required')
				: t('form_error_too_short', { min: String(issue.minimum) });
		case 'too_big':
			return t('form_error_too_long', { max: String(issue.maximum) });
		case 'invalid_type':
			return t('form_error_required');
		default:
			return t('form_error_invalid');
	}
}

export type Parsed<T> =
	{ ok: true; data: T; values: FormValues } | { ok: false; failure: ActionFailure<FormFailure> };

/** Reads a form post and checks it with `schema`; on failure, the 400 answer keeps what was typed. */
export async function parseForm<S extends z.ZodType>(
	request: Request | FormData,
	schema: S,
	tag?: FormTag
): Promise<Parsed<z.output<S>>> {
	const values = formValues(request instanceof FormData ? request : await request.formData());
	const result = schema.safeParse(values);
	if (result.success) return { ok: true, data: result.data, values };
	const errors: Record<string, string> = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? '_form');
		errors[field] ??= issueMessage(issue);
	}
	return {
		ok: false,
		failure: fail(400, { values: keepable(values), errors, message: t('form_error_summary'), ...tag })
	};
}

/**
 * Turns a domain error into the form's answer: field errors next to the fields, the rest in the summary,
 * what the person typed kept. Non-domain errors are rethrown (logged with an id by handleError).
 */
export function failForm(e: unknown, values: FormValues, tag?: FormTag): ActionFailure<FormFailure> {
	if (!(e instanceof AppError)) throw e;
	if (e.code === 'not_found') error(404, t('error_not_found'));
	const errors = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, t(v)]));
	return fail(e.status, { values: keepable(values), errors, message: t(e.messageKey), ...tag });
}
