import { themesEndpoint } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The live themes. */
export const GET: RequestHandler = () => themesEndpoint();
