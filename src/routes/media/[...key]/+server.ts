import { error } from '@sveltejs/kit';
import { storage } from '$lib/server/platform/storage';
import { imageVariant, imageWidth } from '$lib/server/platform/images';
import type { RequestHandler } from './$types';

const TYPES: Record<string, string> = {
	webp: 'image/webp',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png'
};

/**
 * Serves uploaded files (covers are re-encoded WebP with random names, so they are cached for a year).
 * `?w=400|800|1200` serves the image at that width (WebP), for `srcset`; another `w` is a 404.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const key = params.key;
	const ext = key.split('.').pop()?.toLowerCase() ?? '';
	if (!TYPES[ext] || key.includes('..')) error(404);
	const w = url.searchParams.get('w');
	const width = w === null ? null : imageWidth(w);
	if (w !== null && width === null) error(404);
	const data = width ? await imageVariant(key, width) : await storage().get(key);
	if (!data) error(404);
	return new Response(new Uint8Array(data), {
		headers: {
			'content-type': width ? 'image/webp' : TYPES[ext],
			'cache-control': 'public, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff'
		}
	});
};
