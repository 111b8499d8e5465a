import { and, eq, ne, sql, asc } from 'drizzle-orm';
import { themeSchema, type ThemeInput } from '$lib/shared/territories/schemas';
import { db, type Tx } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { audit } from '../../platform/audit';
import { requireAdmin, type Actor, type RequestContext } from '../../accounts';
import { themes } from '../schema';

async function checkSlugFree(tx: Tx, slug: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: themes.id })
		.from(themes)
		.where(exceptId ? and(eq(themes.slug, slug), ne(themes.id, exceptId)) : eq(themes.slug, slug));
	if (taken) throw fieldError('slug', 'territories_error_slug_taken');
}

/** Creates a theme at the end of the list (administrators). */
export async function createTheme(actor: Actor | null, input: ThemeInput, ctx: RequestContext) {
	const admin = requireAdmin(actor);
	const data = themeSchema.parse(input);
	return db().transaction(async (tx) => {
		await checkSlugFree(tx, data.slug);
		const [{ next }] = (
			await tx.execute<{ next: number }>(sql`SELECT coalesce(max(position), -1) + 1 AS next FROM themes`)
		).rows;
		const [t] = await tx
			.insert(themes)
			.values({ ...data, position: Number(next) })
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'themes.created',
			targetType: 'theme',
			targetId: t.id,
			ip: ctx.ip
		});
		return t;
	});
}

/** Edits a theme (administrators). */
export async function updateTheme(actor: Actor | null, id: string, input: ThemeInput, ctx: RequestContext) {
	const admin = requireAdmin(actor);
	const data = themeSchema.parse(input);
	await db().transaction(async (tx) => {
		const [existing] = await tx.select().from(themes).where(eq(themes.id, id));
		if (!existing) throw new AppError('not_found', 'error_not_found');
		await checkSlugFree(tx, data.slug, id);
		await tx.update(themes).set(data).where(eq(themes.id, id));
		await audit(tx, {
			actorId: admin.id,
			action: 'themes.updated',
			targetType: 'theme',
			targetId: id,
			ip: ctx.ip
		});
	});
}

/** Archives or restores a theme (administrators). */
export async function setThemeArchived(
	actor: Actor | null,
	id: string,
	archived: boolean,
	ctx: RequestContext
) {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		const [t] = await tx
			.update(themes)
			.set({ archivedAt: archived ? new Date() : null })
			.where(eq(themes.id, id))
			.returning({ id: themes.id });
		if (!t) throw new AppError('not_found', 'error_not_found');
		await audit(tx, {
			actorId: admin.id,
			action: archived ? 'themes.archived' : 'themes.restored',
			targetType: 'theme',
			targetId: id,
			ip: ctx.ip
		});
	});
}

/** Moves a theme one place up or down (administrators). */
export async function moveTheme(
	actor: Actor | null,
	id: string,
	direction: 'up' | 'down',
	ctx: RequestContext
) {
	const admin = requireAdmin(actor);
	await db().transaction(async (tx) => {
		const all = await tx.select().from(themes).orderBy(asc(themes.position), asc(themes.nameFr));
		const index = all.findIndex((t) => t.id === id);
		if (index < 0) throw new AppError('not_found', 'error_not_found');
		const other = direction === 'up' ? index - 1 : index + 1;
		if (other < 0 || other >= all.length) return;
		const order = all.map((t) => t.id);
		[order[index], order[other]] = [order[other], order[index]];
		for (const [position, tid] of order.entries())
			await tx.update(themes).set({ position }).where(eq(themes.id, tid));
		await audit(tx, {
			actorId: admin.id,
			action: 'themes.moved',
			targetType: 'theme',
			targetId: id,
			data: { direction },
			ip: ctx.ip
		});
	});
}
