import { and, eq, sql } from 'drizzle-orm';
import { needSchema, type NeedInput } from '$lib/shared/projects/schemas';
import { db, type Tx } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import type { Actor } from '../../accounts';
import { lockProject, requireTeam, requireAdjustable, isLive } from '../../projects';
import { stages } from '../../projects/schema';
import { needs, shifts } from '../schema';

type ParsedNeed = ReturnType<typeof needSchema.parse>;

/** The columns of a need row for its kind (the other kinds' columns stay null). */
function columns(n: ParsedNeed) {
	const base = { title: n.title, description: n.description, stageId: n.stageId, kind: n.kind };
	switch (n.kind) {
		case 'money':
			return {
				...base,
				goalMinor: n.goalMinor,
				currency: n.currency,
				campaignModel: n.campaignModel,
				deadline: new Date(`${n.deadline}T23:59:59Z`)
			};
		case 'volunteers':
			return { ...base, role: n.role, skills: n.skills };
		case 'material':
			return {
				...base,
				quantity: n.quantity,
				unit: n.unit,
				materialMode: n.materialMode,
				returnBy: n.materialMode === 'lend' ? n.returnBy : null,
				dropoff: n.dropoff
			};
		case 'expertise':
			return { ...base, skill: n.skill, hours: n.hours };
	}
}

async function checkStage(tx: Tx, projectId: string, stageId: string | null) {
	if (!stageId) return;
	const [s] = await tx
		.select({ id: stages.id })
		.from(stages)
		.where(and(eq(stages.id, stageId), eq(stages.projectId, projectId)));
	if (!s) throw fieldError('stageId', 'form_error_invalid');
}

// Need add/update/delete share their promise-keeping checks, so they live together.

/** Adds a need to a project (team; also after publication: a new need promises nothing yet). */
export async function addNeed(actor: Actor | null, projectId: string, input: NeedInput) {
	const data = needSchema.parse(input);
	return db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
		requireAdjustable(await lockProject(tx, projectId));
		await checkStage(tx, projectId, data.stageId);
		const [{ next }] = (
			await tx.execute<{ next: number }>(
				sql`SELECT coalesce(max(position), -1) + 1 AS next FROM needs WHERE project_id = ${projectId}`
			)
		).rows;
		const [need] = await tx
			.insert(needs)
			.values({ ...columns(data), projectId, position: Number(next) })
			.returning();
		return need;
	});
}

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
	const data = needSchema.parse(input);
	await db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
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

/** Deletes a need: freely before publication; afterwards only when nobody has contributed to it. */
export async function deleteNeed(actor: Actor | null, projectId: string, needId: string): Promise<void> {
	await db().transaction(async (tx) => {
		await requireTeam(tx, actor, projectId);
		const p = await lockProject(tx, projectId);
		requireAdjustable(p);
		const [existing] = await tx
			.select()
			.from(needs)
			.where(and(eq(needs.id, needId), eq(needs.projectId, projectId)))
			.for('update');
		if (!existing) throw new AppError('not_found', 'error_not_found');
		if (isLive(p)) {
			const [{ taken }] = (
				await tx.execute<{ taken: number }>(
					sql`SELECT coalesce(sum(taken), 0)::int AS taken FROM shifts WHERE need_id = ${needId}`
				)
			).rows;
			if (existing.kind === 'money' || existing.fulfilled > 0 || Number(taken) > 0)
				throw new AppError('conflict', 'needs_error_has_contributions');
		}
		await tx.delete(shifts).where(eq(shifts.needId, needId));
		await tx.delete(needs).where(eq(needs.id, needId));
	});
}
