import { z } from 'zod';

/** Form values as typed by the person: one string per field, or a list for repeated fields. */
export type FormValues = Record<string, string | string[]>;

/** Turns a submitted form into plain values, keeping repeated fields (checkbox groups) as lists. */
export function formValues(data: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of data.entries()) {
		if (typeof value !== 'string') continue;
		const existing = values[key];
		if (existing === undefined) values[key] = value;
		else values[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	return values;
}

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
