import { cancelProjectSchema } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { enqueueInTransaction } from '../../platform/jobs';
import { requireActor, type Actor } from '../../accounts';
import { authorize, lockProject } from '../policy';
import { moveProject } from '../transition';

/** The owner (or a moderator of the territory) cancels a project, with a reason. */
export async function cancelProject(actor: Actor | null, projectId: string, reason: string): Promise<void> {
	const me = requireActor(actor);
	const data = parseInput(cancelProjectSchema, { reason });
	await db().transaction(async (tx) => {
		const p = await lockProject(tx, projectId);
		await authorize(me, 'project.cancel', p, tx);
		await moveProject(tx, p, 'cancelled', me.id, data.reason);
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
