import { projectEndpoint } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** One public project (404 for anything not public). */
export const GET: RequestHandler = (event) => projectEndpoint(event, event.params.slug);
