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
