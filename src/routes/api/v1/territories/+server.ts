import { territoriesEndpoint } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The live territories. */
export const GET: RequestHandler = () => territoriesEndpoint();
