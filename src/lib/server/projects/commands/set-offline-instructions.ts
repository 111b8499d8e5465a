import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { offlineInstructionsSchema } from '$lib/shared/projects/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor } from '../../accounts';
import { projects } from '../schema';
import { authorize, lockProject } from '../policy';
import { requireAdjustable } from '../rules';

/**
 * The team sets how donors pay by transfer, cheque or cash (IBAN, payee, address). Allowed while the
 * project can receive gifts, since bank details change.
 */
export async function setOfflineInstructions(
	actor: Actor | null,
	projectId: string,
	input: z.input<typeof offlineInstructionsSchema>
) {
	const data = parseInput(offlineInstructionsSchema, input);
	await db().transaction(async (tx) => {
		const me = await authorize(actor, 'project.manage', { id: projectId }, tx);
		requireAdjustable(await lockProject(tx, projectId));
		await tx
			.update(projects)
			.set({ offlineInstructions: data.offlineInstructions, updatedAt: new Date() })
			.where(eq(projects.id, projectId));
		await audit(tx, {
			actorId: me.id,
			action: 'projects.offline_instructions_set',
			targetType: 'project',
			targetId: projectId
		});
	});
}
