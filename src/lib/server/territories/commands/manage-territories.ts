import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { territorySchema, type TerritoryInput } from '$lib/shared/territories/schemas';
import { db, type Tx } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { requireAdmin, type Actor, type RequestContext } from '../../accounts';
import { territories } from '../schema';
import { territoryWithDescendants } from '../queries';

async function checkSlugFree(tx: Tx, slug: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: territories.id })
		.from(territories)
		.where(
			exceptId ? and(eq(territories.slug, slug), ne(territories.id, exceptId)) : eq(territories.slug, slug)
		);
	if (taken) throw fieldError('slug', 'territories_error_slug_taken');
}

async function checkParent(tx: Tx, parentId: string | null, selfId?: string) {
	if (!parentId) return;
	const [p] = await tx.select({ id: territories.id }).from(territories).where(eq(territories.id, parentId));
	if (!p) throw fieldError('parentId', 'form_error_invalid');
	if (selfId && (await territoryWithDescendants(tx, selfId)).includes(parentId))
		throw fieldError('parentId', 'territories_error_cycle');
}

/** Creates a territory (administrators). */
export async function createTerritory(actor: Actor | null, input: TerritoryInput, ctx: RequestContext) {
	const admin = requireAdmin(actor);
	const data = territorySchema.parse(input);
	return db().transaction(async (tx) => {
		await checkSlugFree(tx, data.slug);
		await checkParent(tx, data.parentId);
		const [{ next }] = (
			await tx.execute<{ next: number }>(
				sql`SELECT coalesce(max(position), -1) + 1 AS next FROM territories WHERE parent_id IS NOT DISTINCT FROM ${data.parentId}`
			)
		).rows;
		const [t] = await tx
			.insert(territories)
			.values({ ...data, position: Number(next) })
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'territories.created',
			targetType: 'territory',
			targetId: t.id,
			ip: ctx.ip
		});
		return t;
	});
}

/** Edits a territory; its parent cannot be itself or one of its descendants (administrators). */
export async function updateTerritory(
	actor: Actor | null,
	id: string,
	input: TerritoryInput,
	ctx: RequestContext
) {
	const admin = requireAdmin(actor);
	const data = territorySchema.parse(input);
	return db().transaction(async (tx) => {
		const [existing] = await tx.select().from(territories).where(eq(territories.id, id));
		if (!existing) throw new AppError('not_found', 'error_not_found');
		await checkSlugFree(tx, data.slug, id);
		await checkParent(tx, data.parentId, id);
		await tx.update(territories).set(data).where(eq(territories.id, id));
		await audit(tx, {
			actorId: admin.id,
			action: 'territories.updated',
			targetType: 'territory',
			targetId: id,
			data: { before: { slug: existing.slug, parentId: existing.parentId } },
			ip: ctx.ip
		});
	});
}

/** Archives (hides) or restores a territory; nothing that refers to it is deleted (administrators). */
export async function setTerritoryArchived(
	actor: Actor | null,
	id: string,
	archived: boolean,
	ctx: RequestContext
) {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		const [t] = await tx
			.update(territories)
			.set({ archivedAt: archived ? new Date() : null })
			.where(eq(territories.id, id))
			.returning({ id: territories.id });
		if (!t) throw new AppError('not_found', 'error_not_found');
		await audit(tx, {
			actorId: admin.id,
			action: archived ? 'territories.archived' : 'territories.restored',
			targetType: 'territory',
			targetId: id,
			ip: ctx.ip
		});
	});
}

/** Moves a territory one place up or down among its siblings (administrators). */
export async function moveTerritory(
	actor: Actor | null,
	id: string,
	direction: 'up' | 'down',
	ctx: RequestContext
) {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		const [t] = await tx.select().from(territories).where(eq(territories.id, id));
		if (!t) throw new AppError('not_found', 'error_not_found');
		const siblings = await tx
			.select()
			.from(territories)
			.where(and(t.parentId ? eq(territories.parentId, t.parentId) : isNull(territories.parentId)))
			.orderBy(territories.position, territories.nameFr);
		const index = siblings.findIndex((s) => s.id === id);
		const swapWith = siblings[direction === 'up' ? index - 1 : index + 1];
		if (!swapWith) return;
		// Renumber so positions are distinct, then swap.
		const order = siblings.map((s) => s.id);
		order[index] = swapWith.id;
		order[siblings.indexOf(swapWith)] = id;
		for (const [position, sid] of order.entries()) {
			await tx.update(territories).set({ position }).where(eq(territories.id, sid));
		}
		await audit(tx, {
			actorId: admin.id,
			action: 'territories.moved',
			targetType: 'territory',
			targetId: id,
			data: { direction },
			ip: ctx.ip
		});
	});
}
