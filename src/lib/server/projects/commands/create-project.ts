import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { projectSchema, type ProjectInput } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { requireActor, type Actor } from '../../accounts';
import { projects, projectMembers, projectTransitions } from '../schema';
import { refreshSearch } from '../search';
import { checkReferences, setThemes, slugify } from '../rules';

/** Creates a project as a draft owned by the signed-in person. */
export async function createProject(actor: Actor | null, input: ProjectInput) {
	const me = requireActor(actor);
	const data = parseInput(projectSchema, input);
	return db().transaction(async (tx) => {
		await checkReferences(tx, data);
		let slug = slugify(data.title);
		const [taken] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.slug, slug));
		if (taken) slug = `${slug}-${randomBytes(3).toString('hex')}`;
		const { themes: themeIds, ...fields } = data;
		const [project] = await tx
			.insert(projects)
			.values({ ...fields, slug, ownerId: me.id, status: 'draft' })
			.returning();
		await tx.insert(projectMembers).values({ projectId: project.id, userId: me.id, role: 'owner' });
		await setThemes(tx, project.id, themeIds);
		await tx
			.insert(projectTransitions)
			.values({ projectId: project.id, fromStatus: null, toStatus: 'draft', actorId: me.id });
		await refreshSearch(tx, project.id);
		await audit(tx, {
			actorId: me.id,
			action: 'projects.created',
			targetType: 'project',
			targetId: project.id
		});
		return project;
	});
}
