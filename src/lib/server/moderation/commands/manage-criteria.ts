import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { criterionSchema, type CriterionInput } from '$lib/shared/moderation/schemas';
import { db, type Tx } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { requireAdmin, type Actor, type RequestContext } from '../../accounts';
import { criteria } from '../schema';

export type Criterion = typeof criteria.$inferSelect;

async function checkSlugFree(tx: Tx, slug: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: criteria.id })
		.from(criteria)
		.where(exceptId ? and(eq(criteria.slug, slug), ne(criteria.id, exceptId)) : eq(criteria.slug, slug));
	if (taken) throw fieldError('slug', 'moderation_error_slug_taken');
}

/** Every criterion, archived ones included, in order (administrators). */
export async function listAllCriteria(actor: Actor | null): Promise<Criterion[]> {
	requireAdmin(actor);
	return db().select().from(criteria).orderBy(asc(criteria.position), asc(criteria.slug));
}

/** One criterion (administrators); `undefined` when unknown. */
export async function getCriterion(actor: Actor | null, id: string): Promise<Criterion | undefined> {
	requireAdmin(actor);
	const [c] = await db().select().from(criteria).where(eq(criteria.id, id));
	return c;
}

/** Adds a criterion at the end of the list (administrators); submissions answer it from then on. */
export async function createCriterion(
	actor: Actor | null,
	input: CriterionInput,
	ctx: RequestContext
): Promise<Criterion> {
	const admin = requireAdmin(actor);
	const data = criterionSchema.parse(input);
	return db().transaction(async (tx) => {
		await checkSlugFree(tx, data.slug);
		const [{ next }] = (
			await tx.execute<{ next: number }>(sql`SELECT coalesce(max(position), -1) + 1 AS next FROM criteria`)
		).rows;
		const [c] = await tx
			.insert(criteria)
			.values({ ...data, position: Number(next) })
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'criteria.created',
			targetType: 'criterion',
			targetId: c.id,
			data: { slug: c.slug },
			ip: ctx.ip
		});
		return c;
	});
}

/** Edits a criterion's slug, labels and help texts (administrators). */
export async function updateCriterion(
	actor: Actor | null,
	id: string,
	input: CriterionInput,
	ctx: RequestContext
): Promise<void> {
	const admin = requireAdmin(actor);
	const data = criterionSchema.parse(input);
	await db().transaction(async (tx) => {
		const [existing] = await tx.select().from(criteria).where(eq(criteria.id, id)).for('update');
		if (!existing) throw new AppError('not_found', 'error_not_found');
		await checkSlugFree(tx, data.slug, id);
		await tx.update(criteria).set(data).where(eq(criteria.id, id));
		await audit(tx, {
			actorId: admin.id,
			action: 'criteria.updated',
			targetType: 'criterion',
			targetId: id,
			data: existing.slug === data.slug ? {} : { from: existing.slug, to: data.slug },
			ip: ctx.ip
		});
	});
}

/**
 * Archives or restores a criterion (administrators). An archived criterion is no longer asked nor
 * judged; past answers and judgements keep it.
 */
export async function setCriterionArchived(
	actor: Actor | null,
	id: string,
	archived: boolean,
	ctx: RequestContext
): Promise<void> {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		const [c] = await tx
			.update(criteria)
			.set({ archivedAt: archived ? new Date() : null })
			.where(eq(criteria.id, id))
			.returning({ id: criteria.id });
		if (!c) throw new AppError('not_found', 'error_not_found');
		await audit(tx, {
			actorId: admin.id,
			action: archived ? 'criteria.archived' : 'criteria.restored',
			targetType: 'criterion',
			targetId: id,
			ip: ctx.ip
		});
	});
}

/** Moves a criterion one place up or down (administrators); positions are renumbered 0, 1, 2… */
export async function moveCriterion(
	actor: Actor | null,
	id: string,
	direction: 'up' | 'down',
	ctx: RequestContext
): Promise<void> {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		// Lock the whole list so that two moves at once do not interleave.
		const all = await tx
			.select({ id: criteria.id })
			.from(criteria)
			.orderBy(asc(criteria.position), asc(criteria.slug))
			.for('update');
		const index = all.findIndex((c) => c.id === id);
		if (index < 0) throw new AppError('not_found', 'error_not_found');
		const other = direction === 'up' ? index - 1 : index + 1;
		if (other < 0 || other >= all.length) return;
		const order = all.map((c) => c.id);
		[order[index], order[other]] = [order[other], order[index]];
		for (const [position, cid] of order.entries())
			await tx.update(criteria).set({ position }).where(eq(criteria.id, cid));
		await audit(tx, {
			actorId: admin.id,
			action: 'criteria.moved',
			targetType: 'criterion',
			targetId: id,
			data: { direction },
			ip: ctx.ip
		});
	});
}
