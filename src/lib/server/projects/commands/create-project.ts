import { randomBytes } from 'node:crypto';
import { eq, inArray, and, isNull } from 'drizzle-orm';
import { projectSchema, type ProjectInput } from '$lib/shared/projects/schemas';
import { db, type Tx } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { requireActor, type Actor } from '../../accounts';
import { territories, themes } from '../../territories/schema';
import { projects, projectMembers, projectThemes, projectTransitions } from '../schema';
import { refreshSearch } from '../search';

/** A URL slug from a title: lower-case ASCII words joined by hyphens. */
export function slugify(title: string): string {
	return (
		title
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60)
			.replace(/-+$/, '') || 'projet'
	);
}

/** Checks the territory and themes of a project form; throws field errors. */
export async function checkReferences(
	tx: Tx,
	data: { territoryId: string; themes: string[] }
): Promise<void> {
	const [t] = await tx
		.select({ id: territories.id })
		.from(territories)
		.where(and(eq(territories.id, data.territoryId), isNull(territories.archivedAt)));
	if (!t) throw fieldError('territoryId', 'projects_error_territory');
	const unique = [...new Set(data.themes)];
	if (unique.length) {
		const found = await tx
			.select({ id: themes.id })
			.from(themes)
			.where(and(inArray(themes.id, unique), isNull(themes.archivedAt)));
		if (found.length !== unique.length) throw fieldError('themes', 'form_error_invalid');
	}
}

/** Replaces a project's themes. */
export async function setThemes(tx: Tx, projectId: string, themeIds: string[]): Promise<void> {
	await tx.delete(projectThemes).where(eq(projectThemes.projectId, projectId));
	const unique = [...new Set(themeIds)];
	if (unique.length) await tx.insert(projectThemes).values(unique.map((themeId) => ({ projectId, themeId })));
}

/** Creates a project as a draft owned by the signed-in person. */
export async function createProject(actor: Actor | null, input: ProjectInput) {
	const me = requireActor(actor);
	const data = projectSchema.parse(input);
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
