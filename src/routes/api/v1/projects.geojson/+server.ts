import { projectsGeoJsonEndpoint } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** Located public projects as a GeoJSON FeatureCollection. */
export const GET: RequestHandler = (event) => projectsGeoJsonEndpoint(event);
