import type { z } from 'zod';
import { nulFields } from '$lib/shared/platform/forms';
import { AppError } from './errors';

/**
 * Checks a command's input with its zod schema and throws the domain's validation error (with the
 * message key of each field) instead of a ZodError, so API callers and forms get the same answer.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	// PostgreSQL refuses NUL bytes in text: one answer for every text field, on every database.
	const nul = nulFields(input);
	if (nul.length)
		throw new AppError(
			'validation',
			'form_error_summary',
			Object.fromEntries(nul.map((f) => [f, 'form_error_nul']))
		);
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const fields: Record<string, string> = {};
	for (const issue of result.error.issues) fields[String(issue.path[0] ?? '_form')] ??= issue.message;
	throw new AppError('validation', 'form_error_summary', fields);
}
