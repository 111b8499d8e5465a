import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { db } from '$lib/server/db/client';
import type { RequestHandler } from './$types';

/** Liveness and database check for load balancers: 200 when the database answers, 503 otherwise. */
export const GET: RequestHandler = async () => {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		await Promise.race([
			db().execute(sql`SELECT 1`),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error('timeout')), 3000);
			})
		]);
		return json({ status: 'ok', database: 'ok' }, { headers: { 'cache-control': 'no-store' } });
	} catch {
		return json(
			{ status: 'error', database: 'unavailable' },
			{ status: 503, headers: { 'cache-control': 'no-store' } }
		);
	} finally {
		clearTimeout(timer);
	}
};
