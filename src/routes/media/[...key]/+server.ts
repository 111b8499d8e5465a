import { error } from '@sveltejs/kit';
import { storage } from '$lib/server/platform/storage';
import type { RequestHandler } from './$types';

const TYPES: Record<string, string> = {
	webp: 'image/webp',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png'
};

/** Serves uploaded files (covers are re-encoded WebP with random names, so they are cached for a year). */
export const GET: RequestHandler = async ({ params }) => {
	const key = params.key;
	const ext = key.split('.').pop()?.toLowerCase() ?? '';
	if (!TYPES[ext] || key.includes('..')) error(404);
	const data = await storage().get(key);
	if (!data) error(404);
	return new Response(new Uint8Array(data), {
		headers: {
			'content-type': TYPES[ext],
			'cache-control': 'public, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff'
		}
	});
};
