import { sql } from 'drizzle-orm';
import { db } from '$lib/server/db/client';
import { createProject, refreshSearch } from '$lib/server/projects';
import { addNeed } from '$lib/server/needs';
import { submitProject, reviewProject, listCriteria } from '$lib/server/moderation';
import type { Actor } from '$lib/server/accounts';
import type { ProjectInput } from '$lib/shared/projects/schemas';
import type { ProjectStatus } from '$lib/shared/projects/enums';

/** A draft project with one volunteers need (enough to submit). */
export async function buildProject(owner: Actor, territoryId: string, overrides: Partial<ProjectInput> = {}) {
	const project = await createProject(owner, {
		title: 'Jardin partagé des Tanneurs',
		summary: 'Un jardin ouvert à tous au cœur du quartier.',
		description: 'Nous cultivons ensemble des légumes.',
		territoryId,
		themes: [],
		legalForm: 'association',
		lat: null,
		lng: null,
		startsOn: '2027-03-01',
		endsOn: '2027-10-31',
		...overrides
	} as ProjectInput);
	await addNeed(owner, project.id, {
		kind: 'volunteers',
		title: 'Bénévoles pour bêcher',
		role: 'Jardinier·e',
		skills: '',
		stageId: null
	} as never);
	return project;
}

/** Answers every criterion "yes". */
export async function allYes() {
	return Object.fromEntries((await listCriteria()).map((c) => [c.id, { meets: true, explanation: '' }]));
}

/** Judges every criterion as passing. */
export async function allPass() {
	return Object.fromEntries((await listCriteria()).map((c) => [c.id, { passes: true, note: '' }]));
}

/** Submits and approves a project (published now). */
export async function publishProject(owner: Actor, moderator: Actor, projectId: string) {
	await submitProject(owner, projectId, { answers: await allYes() });
	await reviewProject(moderator, projectId, { decision: 'approve', judgements: await allPass() });
}

/** Forces a project into a state (for listing tests only; real moves go through the commands). */
export async function forceStatus(
	projectId: string,
	status: ProjectStatus,
	publishedAt: Date | null = new Date()
) {
	await db().execute(
		sql`UPDATE projects SET status = ${status}, published_at = ${publishedAt} WHERE id = ${projectId}`
	);
	await refreshSearch(db(), projectId);
}
