import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import { territories, themes } from './schema';

export type Territory = typeof territories.$inferSelect;
export type Theme = typeof themes.$inferSelect;

/** A territory with its depth in the tree, for indented lists and selects. */
export type TerritoryNode = Territory & { depth: number };

/** Orders a flat list as a tree (parents before children, siblings by position then name). */
function asTree(rows: Territory[]): TerritoryNode[] {
	const byParent = new Map<string | null, Territory[]>();
	for (const r of rows) {
		const list = byParent.get(r.parentId) ?? [];
		list.push(r);
		byParent.set(r.parentId, list);
	}
	const ids = new Set(rows.map((r) => r.id));
	const out: TerritoryNode[] = [];
	const walk = (parent: string | null, depth: number) => {
		for (const t of (byParent.get(parent) ?? []).sort(
			(a, b) => a.position - b.position || a.nameFr.localeCompare(b.nameFr)
		)) {
			out.push({ ...t, depth });
			walk(t.id, depth + 1);
		}
	};
	walk(null, 0);
	// Children of archived parents (filtered out) still appear, at top level.
	for (const r of rows)
		if (r.parentId && !ids.has(r.parentId)) {
			out.push({ ...r, depth: 0 });
			walk(r.id, 1);
		}
	return out;
}

/** Territories as a tree; archived ones only when asked. */
export async function listTerritories(options: { includeArchived?: boolean } = {}): Promise<TerritoryNode[]> {
	const rows = await db()
		.select()
		.from(territories)
		.where(options.includeArchived ? undefined : isNull(territories.archivedAt));
	return asTree(rows);
}

/** One live territory by slug. */
export async function getTerritoryBySlug(slug: string): Promise<Territory | undefined> {
	const [t] = await db()
		.select()
		.from(territories)
		.where(and(eq(territories.slug, slug), isNull(territories.archivedAt)));
	return t;
}

/** One territory by id (archived included). */
export async function getTerritory(exec: Executor, id: string): Promise<Territory | undefined> {
	const [t] = await exec.select().from(territories).where(eq(territories.id, id));
	return t;
}

/** The territory's ancestors, from the root down (for breadcrumbs), in one statement. */
export async function territoryAncestors(id: string): Promise<Territory[]> {
	const result = await db().execute<{
		id: string;
		parent_id: string | null;
		slug: string;
		kind: Territory['kind'];
		name_fr: string;
		name_en: string;
		lat: number | null;
		lng: number | null;
		position: number;
		archived_at: string | Date | null;
		created_at: string | Date;
		depth: number;
	}>(sql`
		WITH RECURSIVE up AS (
			SELECT t.*, 0 AS depth FROM territories t WHERE t.id = ${id}
			UNION ALL
			SELECT t.*, up.depth + 1 FROM territories t JOIN up ON t.id = up.parent_id WHERE up.depth < 32
		)
		SELECT id, parent_id, slug, kind, name_fr, name_en, lat, lng, position, archived_at, created_at, depth
		FROM up WHERE depth > 0 ORDER BY depth DESC`);
	return result.rows.map((r) => ({
		id: r.id,
		parentId: r.parent_id,
		slug: r.slug,
		kind: r.kind,
		nameFr: r.name_fr,
		nameEn: r.name_en,
		lat: r.lat === null ? null : Number(r.lat),
		lng: r.lng === null ? null : Number(r.lng),
		position: r.position,
		archivedAt: r.archived_at === null ? null : new Date(r.archived_at),
		createdAt: new Date(r.created_at)
	}));
}

/** Ids of a territory and all its descendants (filters "in this territory"). */
export async function territoryWithDescendants(exec: Executor, id: string): Promise<string[]> {
	const result = await exec.execute<{ id: string }>(sql`
		WITH RECURSIVE down AS (
			SELECT id FROM territories WHERE id = ${id}
			UNION ALL
			SELECT t.id FROM territories t JOIN down ON t.parent_id = down.id
		)
		SELECT id FROM down`);
	return result.rows.map((r) => r.id);
}

/** The direct children of a territory. */
export async function childTerritories(id: string): Promise<Territory[]> {
	return db()
		.select()
		.from(territories)
		.where(and(eq(territories.parentId, id), isNull(territories.archivedAt)))
		.orderBy(asc(territories.position), asc(territories.nameFr));
}

/** Themes in their configured order; archived ones only when asked. */
export async function listThemes(options: { includeArchived?: boolean } = {}): Promise<Theme[]> {
	return db()
		.select()
		.from(themes)
		.where(options.includeArchived ? undefined : isNull(themes.archivedAt))
		.orderBy(asc(themes.position), asc(themes.nameFr));
}

/** One theme by id. */
export async function getTheme(id: string): Promise<Theme | undefined> {
	const [t] = await db().select().from(themes).where(eq(themes.id, id));
	return t;
}

/** The name of a territory or theme in the reader's language. */
export function localName(item: { nameFr: string; nameEn: string }, locale: string): string {
	return locale === 'en' ? item.nameEn : item.nameFr;
}
