/** Error codes every domain may throw; routes map them to HTTP answers. */
export type AppErrorCode =
	| 'validation'
	| 'unauthenticated'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'rate_limited'
	| 'invalid_token';

const statusByCode: Record<AppErrorCode, number> = {
	validation: 400,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	rate_limited: 429,
	invalid_token: 400
};

/**
 * The one error type of the domains. `fields` maps a form field to a message key
 * (see messages/*.json), so the route can show it next to the field in the person's language.
 */
export class AppError extends Error {
	readonly code: AppErrorCode;
	readonly fields: Record<string, string>;
	readonly messageKey: string;

	constructor(code: AppErrorCode, messageKey: string, fields: Record<string, string> = {}) {
		super(`${code}: ${messageKey}`);
		this.code = code;
		this.messageKey = messageKey;
		this.fields = fields;
	}

	get status(): number {
		return statusByCode[this.code];
	}
}

/** Shorthand for a validation error on one field. */
export function fieldError(field: string, messageKey: string): AppError {
	return new AppError('validation', 'form_error_summary', { [field]: messageKey });
}

/**
 * One line about an error for the log, without what it carries: a database error's message and fields
 * hold the query's parameters (e-mail addresses, password hashes), so only its name, SQLSTATE code and
 * constraint, the first line of its message up to "params" with quoted values masked, and the stack
 * frames are kept.
 */
export function describeError(error: unknown): string {
	if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
	const parts: string[] = [];
	for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
		const { code, constraint } = e as { code?: unknown; constraint?: unknown };
		let message = e.message.split(/\n|\bparams:/)[0].slice(0, 300);
		// PostgreSQL quotes the offending value in its messages (`invalid input syntax for type uuid: "…"`).
		if (typeof code === 'string') message = message.replace(/"[^"]*"|'[^']*'/g, '"…"');
		const where = typeof constraint === 'string' ? ` (constraint ${constraint})` : '';
		parts.push(`${e.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${message}${where}`);
	}
	const frames = (error.stack ?? '')
		.split('\n')
		.filter((l) => /^\s+at /.test(l))
		.slice(0, 8)
		.join('\n');
	return `${parts.join(' ← caused by ')}${frames ? `\n${frames}` : ''}`;
}
