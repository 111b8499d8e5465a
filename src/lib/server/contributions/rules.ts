import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { AppError } from '../platform/errors';
import type { Actor } from '../accounts';
import { isPublic } from '../projects';
import { projects } from '../projects/schema';
import { needs } from '../needs/schema';
import { contributions } from './schema';
import { authorize } from './policy';

// What the commands for time, material and expertise share.

/** States in which a project accepts contributions. */
const OPEN = new Set(['published', 'funded', 'not_funded', 'in_progress']);

/** A need of `kind` of a public project that still accepts contributions. */
export async function openNeed(tx: Tx, needId: string, kind: 'volunteers' | 'material' | 'expertise') {
	const [row] = await tx
		.select({ need: needs, project: projects })
		.from(needs)
		.innerJoin(projects, eq(projects.id, needs.projectId))
		.where(eq(needs.id, needId));
	if (!row || !isPublic(row.project)) throw new AppError('not_found', 'error_not_found');
	if (row.need.kind !== kind) throw new AppError('validation', 'form_error_invalid');
	if (!OPEN.has(row.project.status)) throw new AppError('conflict', 'contributions_error_closed');
	return row;
}

/** The person's own contribution, locked (`contribution.withdraw`). */
export async function ownContribution(tx: Tx, actor: Actor, contributionId: string) {
	const [c] = await tx.select().from(contributions).where(eq(contributions.id, contributionId)).for('update');
	if (!c) throw new AppError('not_found', 'error_not_found');
	await authorize(actor, 'contribution.withdraw', c, tx);
	return c;
}

/** A contribution to a project of the person's team, locked (`contributions.confirm`). */
export async function teamContribution(tx: Tx, actor: Actor | null, contributionId: string) {
	const [c] = await tx.select().from(contributions).where(eq(contributions.id, contributionId)).for('update');
	if (!c) throw new AppError('not_found', 'error_not_found');
	await authorize(actor, 'contributions.confirm', { id: c.projectId }, tx);
	return c;
}

/** Moves a contribution to `status` (with extra columns in the same update). */
export function setStatus(
	tx: Tx,
	id: string,
	status: (typeof contributions.$inferSelect)['status'],
	extra: Partial<typeof contributions.$inferInsert> = {}
) {
	return tx
		.update(contributions)
		.set({ ...extra, status, updatedAt: new Date() })
		.where(eq(contributions.id, id));
}
