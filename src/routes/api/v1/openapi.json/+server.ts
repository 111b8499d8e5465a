import { openApiEndpoint } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The OpenAPI 3.1 description of the API. */
export const GET: RequestHandler = () => openApiEndpoint();
