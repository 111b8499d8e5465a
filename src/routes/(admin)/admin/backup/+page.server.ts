import { databaseKind } from '$lib/server/platform/backup';
import { adminOnly } from '../../guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ kind: await databaseKind(adminOnly(event)) });
