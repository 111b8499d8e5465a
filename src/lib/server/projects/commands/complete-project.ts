import { completeProjectSchema } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { requireActor, type Actor } from '../../accounts';
import { authorize, lockProject } from '../policy';
import { moveProject } from '../transition';

/** The team marks a project completed, with an account of what was done. */
export async function completeProject(
	actor: Actor | null,
	projectId: string,
	account: string
): Promise<void> {
	const me = requireActor(actor);
	const data = parseInput(completeProjectSchema, { account });
	await db().transaction(async (tx) => {
		await authorize(me, 'project.manage', { id: projectId }, tx);
		const p = await lockProject(tx, projectId);
		await moveProject(tx, p, 'completed', me.id, data.account);
	});
}
