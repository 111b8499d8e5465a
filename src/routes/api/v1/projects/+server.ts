import { listProjectsEndpoint } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** Public projects, filtered and paginated (see /api/v1/openapi.json). */
export const GET: RequestHandler = (event) => listProjectsEndpoint(event);
