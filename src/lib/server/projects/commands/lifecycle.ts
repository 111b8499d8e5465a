import { z } from 'zod';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { enqueueInTransaction } from '../../platform/jobs';
import { requireActor, canModerateTerritory, type Actor } from '../../accounts';
import { lockProject, teamRole } from '../policy';
import { moveProject } from './transition';

const reasonSchema = z.string().trim().max(2000, 'form_error_too_long');

/** The owner (or a moderator of the territory) cancels a project, with a reason. */
export async function cancelProject(actor: Actor | null, projectId: string, reason: string): Promise<void> {
	const me = requireActor(actor);
	const why = reasonSchema.parse(reason);
	await db().transaction(async (tx) => {
		const p = await lockProject(tx, projectId);
		const role = await teamRole(tx, me, projectId);
		if (role !== 'owner' && !(await canModerateTerritory(tx, me, p.territoryId)))
			throw new AppError('forbidden', 'error_forbidden');
		if (!why) throw new AppError('validation', 'form_error_summary', { reason: 'form_error_required' });
		await moveProject(tx, p, 'cancelled', me.id, why);
		await audit(tx, {
			actorId: me.id,
			action: 'projects.cancelled',
			targetType: 'project',
			targetId: projectId
		});
		// Pledges are released by payments (named, not imported: payments depends on projects). In the
		// same transaction, so a committed cancellation always has its release queued.
		await enqueueInTransaction(tx, RELEASE_PLEDGES_JOB, { projectId });
	});
}

/** The job (defined by payments) that releases a cancelled project's pending pledges. */
export const RELEASE_PLEDGES_JOB = 'payments.release_project_pledges';

/** The team marks a published project as started (in progress). */
export async function startProject(actor: Actor | null, projectId: string): Promise<void> {
	const me = requireActor(actor);
	await db().transaction(async (tx) => {
		if (!(await teamRole(tx, me, projectId))) throw new AppError('forbidden', 'error_forbidden');
		const p = await lockProject(tx, projectId);
		await moveProject(tx, p, 'in_progress', me.id);
	});
}

/** The team marks a project completed, with an account of what was done. */
export async function completeProject(
	actor: Actor | null,
	projectId: string,
	account: string
): Promise<void> {
	const me = requireActor(actor);
	const text = reasonSchema.parse(account);
	await db().transaction(async (tx) => {
		if (!(await teamRole(tx, me, projectId))) throw new AppError('forbidden', 'error_forbidden');
		const p = await lockProject(tx, projectId);
		await moveProject(tx, p, 'completed', me.id, text);
	});
}
