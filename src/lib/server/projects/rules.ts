import { eq, inArray, and, isNull } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { AppError, fieldError } from '../platform/errors';
import { territories, themes } from '../territories/schema';
import { projectThemes } from './schema';
import type { ProjectRow } from './policy';

// Rules and checks shared by the projects domain's commands (and, through index.ts, the needs domain's).

/** States in which the team may still add or adjust stages, needs and shifts. */
const ADJUSTABLE = new Set([
	'draft',
	'changes_requested',
	'published',
	'funded',
	'not_funded',
	'in_progress'
]);

/** Refuses changes to stages and needs while under review or once the project has ended. */
export function requireAdjustable(p: ProjectRow): void {
	if (!ADJUSTABLE.has(p.status)) throw new AppError('conflict', 'projects_error_not_editable');
}

/** True once contributors may have been promised something (after publication). */
export function isLive(p: ProjectRow): boolean {
	return p.status !== 'draft' && p.status !== 'changes_requested';
}

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
