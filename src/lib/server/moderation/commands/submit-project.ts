import { eq, sql } from 'drizzle-orm';
import { submitSchema } from '$lib/shared/moderation/schemas';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor } from '../../accounts';
import { lockProject, moveProject } from '../../projects';
import { criterionAnswers } from '../schema';
import { listCriteria } from '../criteria';
import { authorize } from '../policy';

/**
 * The team submits a draft (or a project sent back for changes) for review, answering every criterion.
 * A project needs a summary, a territory and at least one need before it can be submitted.
 */
export async function submitProject(
	actor: Actor | null,
	projectId: string,
	input: { answers: Record<string, { meets: boolean; explanation?: string }> }
): Promise<void> {
	const data = parseInput(submitSchema, input);
	await db().transaction(async (tx) => {
		const me = await authorize(actor, 'project.submit', { id: projectId }, tx);
		const p = await lockProject(tx, projectId);
		if (p.status !== 'draft' && p.status !== 'changes_requested')
			throw new AppError('conflict', 'projects_error_transition');
		const fields: Record<string, string> = {};
		if (!p.summary.trim()) fields.summary = 'projects_error_submit_summary';
		const [{ n }] = (
			await tx.execute<{ n: number }>(
				sql`SELECT count(*)::int AS n FROM needs WHERE project_id = ${projectId}`
			)
		).rows;
		if (Number(n) === 0) fields.needs = 'projects_error_submit_needs';
		const list = await listCriteria(tx);
		for (const c of list)
			if (!data.answers[c.id]) fields[`criterion_${c.id}`] = 'moderation_error_answer_required';
		if (Object.keys(fields).length)
			throw new AppError('validation', 'projects_error_submit_incomplete', fields);
		await tx.delete(criterionAnswers).where(eq(criterionAnswers.projectId, projectId));
		await tx.insert(criterionAnswers).values(
			list.map((c) => ({
				projectId,
				criterionId: c.id,
				meets: data.answers[c.id].meets,
				explanation: data.answers[c.id].explanation
			}))
		);
		await moveProject(tx, p, 'submitted', me.id, '', { submittedAt: new Date() });
		await audit(tx, {
			actorId: me.id,
			action: 'projects.submitted',
			targetType: 'project',
			targetId: projectId
		});
	});
}
