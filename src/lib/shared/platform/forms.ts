import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { t } from '../../i18n';

/** Form values as typed by the person: one string per field, or a list for repeated fields. */
export type FormValues = Record<string, string | string[]>;

/**
 * Turns a submitted form into plain values, keeping repeated fields (checkbox groups) as lists. The
 * object has no prototype, so a field named `toString` or `__proto__` is just a field. A value with a
 * NUL byte (which PostgreSQL refuses in text) is answered 400 here, before it reaches a command;
 * `parseForm` passes `{ keepNul: true }` and shows a field error instead.
 */
export function formValues(data: FormData, { keepNul = false } = {}): FormValues {
	const values: FormValues = Object.create(null);
	for (const [key, value] of data.entries()) {
		if (typeof value !== 'string') continue;
		const existing = Object.hasOwn(values, key) ? values[key] : undefined;
		if (existing === undefined) values[key] = value;
		else values[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	if (!keepNul && nulFields(values).length) error(400, t('form_error_nul'));
	return values;
}

/** Fields (top-level names) whose value, or any string nested in it, contains a NUL byte. */
export function nulFields(values: unknown): string[] {
	const has = (v: unknown): boolean =>
		typeof v === 'string'
			? v.includes('\u0000')
			: Array.isArray(v)
				? v.some(has)
				: v !== null && typeof v === 'object' && Object.values(v).some(has);
	if (values === null || typeof values !== 'object') return has(values) ? ['_form'] : [];
	return Object.entries(values)
		.filter(([, v]) => has(v))
		.map(([k]) => k);
}

/** A value of `record` for a key chosen by the person, never one inherited from Object.prototype. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A calendar date typed as YYYY-MM-DD, checked strictly: `Date.parse('2024-02-30')` accepts it (and
 * means 1 March), this does not.
 */
export function isCalendarDate(s: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const date = new Date(Date.UTC(y, mo - 1, d));
	return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** An optional date field: blank is null, otherwise a real calendar date (YYYY-MM-DD). */
export const isoDate = z.preprocess(
	(v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v),
	z.string().refine(isCalendarDate, 'form_error_date').nullable()
);

/** A checkbox group: absent, one value or many, always a list. */
export const stringList = z.preprocess(
	(v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
	z.array(z.string())
);

/** An optional trimmed text field ('' becomes undefined). */
export const optionalText = (max: number) =>
	z.preprocess(
		(v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
		z.string().trim().max(max).optional()
	);
