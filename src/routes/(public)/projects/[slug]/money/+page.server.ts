import { projectMoney } from '$lib/server/ledger';
import { visibleProjectBySlug } from '$lib/server/projects';
import { loadOr404 } from '$lib/server/platform/route';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) =>
	loadOr404(async () => projectMoney((await visibleProjectBySlug(locals.actor, params.slug)).id));
