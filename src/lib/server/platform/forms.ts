import { fail, error, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';
import { formValues, nulFields, type FormValues } from '$lib/shared/platform/forms';
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

/** What is sent back: no secrets, and NUL bytes dropped (what the person typed, minus the character refused). */
function keepable(values: FormValues): FormValues {
	const clean = (v: string) => v.replaceAll('\u0000', '');
	return Object.fromEntries(
		Object.entries(values)
			.filter(([k]) => !SECRET_FIELDS.test(k) || k === 'token')
			.map(([k, v]) => [k, Array.isArray(v) ? v.map(clean) : clean(v)])
	);
}

/** The 400 answer for fields holding a NUL byte, which PostgreSQL refuses in text. */
function nulFailure(values: FormValues, fields: string[], tag?: FormTag): ActionFailure<FormFailure> {
	const errors = Object.fromEntries(fields.map((f) => [f, t('form_error_nul')]));
	return fail(400, { values: keepable(values), errors, message: t('form_error_summary'), ...tag });
}

/** PostgreSQL's "data exception" class (22…): a value the database cannot take (bad UUID, NUL, date out of range). */
function isDataException(e: unknown): boolean {
	for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
		const code = (c as { code?: unknown }).code;
		if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
	}
	return false;
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
	const values = formValues(request instanceof FormData ? request : await request.formData(), {
		keepNul: true
	});
	const nul = nulFields(values);
	if (nul.length) return { ok: false, failure: nulFailure(values, nul, tag) };
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
 * what the person typed kept. A command's schema refusing its input (ZodError) or the database refusing
 * a value (data exception) is a 400 too, never a 500.
 * Other errors are rethrown (logged with an id by handleError).
 */
export function failForm(e: unknown, values: FormValues, tag?: FormTag): ActionFailure<FormFailure> {
	if (e instanceof z.ZodError) {
		// A command's own schema refused its input (a reason too long, say): bad input, not a crash.
		const errors: Record<string, string> = {};
		let summary: string | undefined;
		for (const issue of e.issues) {
			const field = issue.path[0];
			if (field === undefined) summary ??= issueMessage(issue);
			else errors[String(field)] ??= issueMessage(issue);
		}
		return fail(400, {
			values: keepable(values),
			errors,
			message: summary ?? t('form_error_summary'),
			...tag
		});
	}
	if (!(e instanceof AppError)) {
		if (!isDataException(e)) throw e;
		const nul = nulFields(values);
		if (nul.length) return nulFailure(values, nul, tag);
		return fail(400, { values: keepable(values), errors: {}, message: t('form_error_invalid'), ...tag });
	}
	if (e.code === 'not_found') error(404, t('error_not_found'));
	const errors = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, t(v)]));
	return fail(e.status, { values: keepable(values), errors, message: t(e.messageKey), ...tag });
}
