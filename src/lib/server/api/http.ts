import { AppError, describeError } from '../platform/errors';

/** Error codes of the public API (documented in the OpenAPI `Error` schema). */
export type ApiErrorCode = 'invalid_parameter' | 'not_found' | 'internal_error';

/** An error answered as `{ "error": { code, message, parameter? } }`. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: ApiErrorCode,
		message: string,
		readonly parameter?: string
	) {
		super(message);
	}
}

/** A 400 naming the offending parameter. */
export function invalidParameter(parameter: string, detail: string): ApiError {
	return new ApiError(400, 'invalid_parameter', `Invalid parameter "${parameter}": ${detail}`, parameter);
}

const CORS = { 'access-control-allow-origin': '*' };

/** A successful JSON answer, cacheable by anyone for a minute. */
export function apiJson(
	data: unknown,
	options: { contentType?: string; headers?: Record<string, string> } = {}
): Response {
	return new Response(JSON.stringify(data), {
		status: 200,
		headers: {
			'content-type': options.contentType ?? 'application/json; charset=utf-8',
			'cache-control': 'public, max-age=60',
			...CORS,
			...options.headers
		}
	});
}

/** An error answer: never cached. */
export function apiErrorResponse(error: ApiError): Response {
	return new Response(
		JSON.stringify({
			error: {
				code: error.code,
				message: error.message,
				...(error.parameter ? { parameter: error.parameter } : {})
			}
		}),
		{
			status: error.status,
			headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...CORS }
		}
	);
}

/**
 * Runs an endpoint and turns every failure into a JSON error: bad input is a 400, a missing or
 * non-public project a 404; anything else is logged and answered as a 500 without details.
 */
export async function apiHandler(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof ApiError) return apiErrorResponse(e);
		if (e instanceof AppError && e.code === 'not_found')
			return apiErrorResponse(new ApiError(404, 'not_found', 'Not found'));
		// Never the error object: a database error carries the query's parameters.
		console.error(`[api] unexpected error ${describeError(e)}`);
		return apiErrorResponse(new ApiError(500, 'internal_error', 'Internal error'));
	}
}
