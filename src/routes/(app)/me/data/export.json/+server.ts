import { error } from '@sveltejs/kit';
import { exportMyData } from '$lib/server/accounts';
import type { RequestHandler } from './$types';

/** "Download my data": everything Parvis holds about the signed-in person, as JSON. */
export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.actor) error(401);
	const data = await exportMyData(locals.actor);
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': 'attachment; filename="parvis-data.json"',
			'cache-control': 'private, no-store'
		}
	});
};
