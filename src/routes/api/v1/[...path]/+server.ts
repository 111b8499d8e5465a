import { notFoundEndpoint } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** Any other address under /api/v1 answers a JSON 404 rather than the HTML error page. */
export const GET: RequestHandler = () => notFoundEndpoint();
