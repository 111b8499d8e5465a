import { and, eq } from 'drizzle-orm';
import { needRefSchema, needSchema, type NeedInput } from '$lib/shared/needs/schemas';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import type { Actor } from '../../accounts';
import { lockProject, requireAdjustable, isLive } from '../../projects';
import { needs } from '../schema';
import { authorize } from '../policy';
import { checkStage, columns } from '../rules';

/**
 * Edits a need. After publication, what contributors were promised holds: a money need's goal, currency,
 * model and deadline are fixed, and quantities and hours cannot go below what was already pledged.
 */
export async function updateNeed(
	actor: Actor | null,
	projectId: string,
	needId: string,
	input: NeedInput
): Promise<void> {
	parseInput(needRefSchema, { needId });
	const data = parseInput(needSchema, input);
	await db().transaction(async (tx) => {
		await authorize(actor, 'needs.manage', { id: projectId }, tx);
		const p = await lockProject(tx, projectId);
		requireAdjustable(p);
		const [existing] = await tx
			.select()
			.from(needs)
			.where(and(eq(needs.id, needId), eq(needs.projectId, projectId)))
			.for('update');
		if (!existing) throw new AppError('not_found', 'error_not_found');
		if (existing.kind !== data.kind) throw fieldError('kind', 'form_error_invalid');
		await checkStage(tx, projectId, data.stageId);
		const next = columns(data);
		if (isLive(p)) {
			if (data.kind === 'money') {
				const m = next as ReturnType<typeof columns> & {
					goalMinor: number;
					currency: string;
					campaignModel: string;
					deadline: Date;
				};
				if (m.goalMinor !== existing.goalMinor)
					throw fieldError('goalMinor', 'needs_error_locked_after_publish');
				if (m.currency !== existing.currency)
					throw fieldError('currency', 'needs_error_locked_after_publish');
				if (m.campaignModel !== existing.campaignModel)
					throw fieldError('campaignModel', 'needs_error_locked_after_publish');
				if (m.deadline.getTime() !== existing.deadline?.getTime())
					throw fieldError('deadline', 'needs_error_locked_after_publish');
			}
			if (data.kind === 'material' && data.quantity < existing.fulfilled)
				throw fieldError('quantity', 'needs_error_below_pledged');
			if (data.kind === 'expertise' && data.hours < existing.fulfilled)
				throw fieldError('hours', 'needs_error_below_pledged');
		}
		await tx.update(needs).set(next).where(eq(needs.id, needId));
	});
}
