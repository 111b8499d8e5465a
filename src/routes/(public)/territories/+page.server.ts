import { listTerritories } from '$lib/server/territories';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ territories: await listTerritories() });
