import { listMyProjects } from '$lib/server/projects';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({ projects: await listMyProjects(locals.actor) });
