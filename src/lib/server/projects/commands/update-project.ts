import { eq } from 'drizzle-orm';
import { projectSchema, type ProjectInput } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { projects } from '../schema';
import { authorize, lockProject, requireEditable } from '../policy';
import { refreshSearch } from '../search';
import { checkReferences, setThemes } from '../rules';

/** Edits a project's description, place, themes, carrier and dates (team; draft or changes requested). */
export async function updateProject(
	actor: Actor | null,
	projectId: string,
	input: ProjectInput
): Promise<void> {
	const data = parseInput(projectSchema, input);
	await db().transaction(async (tx) => {
		await authorize(actor, 'project.manage', { id: projectId }, tx);
		const p = await lockProject(tx, projectId);
		requireEditable(p);
		await checkReferences(tx, data);
		const { themes: themeIds, ...fields } = data;
		await tx
			.update(projects)
			.set({ ...fields, updatedAt: new Date() })
			.where(eq(projects.id, projectId));
		await setThemes(tx, projectId, themeIds);
		await refreshSearch(tx, projectId);
	});
}
