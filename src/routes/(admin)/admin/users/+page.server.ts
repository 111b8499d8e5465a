import { listUsers } from '$lib/server/accounts';
import { adminOnly } from '../../guard';
import { pageParam } from '../schemas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const result = await listUsers(actor, { q, page: pageParam(event.url) });
	return { q, ...result, total: Number(result.total) };
};
