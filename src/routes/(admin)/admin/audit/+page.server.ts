import { listAudit } from '$lib/server/accounts';
import { adminOnly } from '../../guard';
import { pageParam } from '../schemas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	const action = (event.url.searchParams.get('action') ?? '').trim().slice(0, 100);
	const result = await listAudit(actor, { page: pageParam(event.url), action });
	return { action, ...result };
};
