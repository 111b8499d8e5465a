import { databaseKind } from '$lib/server/platform/backup';
import { adminOnly } from '../../guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => ({ kind: databaseKind(adminOnly(event)) });
