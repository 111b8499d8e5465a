import { db } from '../../db/client';
import { requireActor, type Actor } from '../../accounts';
import { authorize, lockProject } from '../policy';
import { moveProject } from '../transition';

/** The team marks a published project as started (in progress). */
export async function startProject(actor: Actor | null, projectId: string): Promise<void> {
	const me = requireActor(actor);
	await db().transaction(async (tx) => {
		await authorize(me, 'project.manage', { id: projectId }, tx);
		const p = await lockProject(tx, projectId);
		await moveProject(tx, p, 'in_progress', me.id);
	});
}
