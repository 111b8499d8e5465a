// The public listing's bounded semantics (docs/performance/queries.md): the count stops at LISTED_MAX
// ("more than 500"), pages stop there too, a search ranks the LISTED_MAX newest matches, filters are
// one condition on the facets kept by triggers (migration 0010), and bad input stays cheap. The last
// block seeds a realistic number of projects (20,000 on PostgreSQL) and checks the plan of every
// statement: no scan of the projects table reads more than a few times LISTED_MAX rows (MAX_READ).
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { onPostgres, useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, forceStatus } from '../../../../tests/factories/projects';
import { db, type Database } from '../db/client';
import type { Actor } from '../accounts';
import { listThemes } from '../territories';
import { addNeed, deleteNeed } from '../needs';
import { searchProjects, projectsInTerritory, updateProject } from './index';
import { refreshSearchWhere } from './search';
import { LISTED_MAX, maxPage, projectFiltersSchema } from '$lib/shared/projects/schemas';
import { listProjectsEndpoint } from '../api';
import { load as loadProjects } from '../../../routes/(public)/projects/+page.server';

const test = useTestDatabase({ jobs: false });

const filters = (raw: Record<string, string> = {}) => projectFiltersSchema.parse(raw);
const api = async (query: string) => {
	const url = new URL(`/api/v1/projects${query}`, 'http://localhost');
	const res = await listProjectsEndpoint({ url, request: new Request(url) });
	return { status: res.status, body: await res.json() };
};
type Loader = (event: unknown) => Promise<{
	result: { total: number; capped: boolean; page: number; rows: { slug: string }[] };
	invalid: string[];
}>;
const listingPage = (query: string) =>
	(loadProjects as unknown as Loader)({
		url: new URL(`/projects${query}`, 'http://localhost'),
		params: {},
		locals: { actor: null }
	});

/** The ranking the listing must reproduce, computed independently over every match. */
async function rankedSlugs(q: string, onlyNewest?: number): Promise<string[]> {
	const rows = (
		await db().execute<{ slug: string }>(sql`
			WITH query AS (SELECT (SELECT string_agg(DISTINCT quote_literal(l) || ':*', ' | ')
				FROM unnest(tsvector_to_array(to_tsvector('parvis_fr', ${q})) || tsvector_to_array(to_tsvector('parvis_en', ${q}))) l)::tsquery AS tq),
			matches AS (
				SELECT p.slug, p.published_at, p.id, p.search_vector FROM projects p, query
				WHERE p.status = 'published' AND p.search_vector @@ query.tq
				ORDER BY p.published_at DESC, p.id LIMIT ${onlyNewest ?? 1_000_000}
			)
			SELECT m.slug FROM matches m, query
			ORDER BY ts_rank_cd(m.search_vector, query.tq) DESC, m.published_at DESC, m.id`)
	).rows;
	return rows.map((r) => r.slug);
}

describe('a listing of a few projects', () => {
	let owner: Actor;
	let region: { id: string; slug: string };
	let city: { id: string; slug: string };
	let themeIds: string[];
	let themeSlugs: string[];
	const slugs: string[] = [];

	beforeAll(async () => {
		region = await buildTerritory({ slug: 'bretagne', kind: 'region' });
		city = await buildTerritory({ slug: 'rennes', parentId: region.id });
		owner = (await buildUser()).actor;
		const themes = await listThemes();
		themeIds = themes.map((t) => t.id);
		themeSlugs = themes.map((t) => t.slug);
		// Twelve projects about gardens, matched with different strengths (title, summary, description).
		for (let i = 0; i < 12; i++) {
			const project = await buildProject(owner, city.id, {
				title: i % 3 === 0 ? `Jardin partagé ${i}` : `Atelier ${i}`,
				summary: i % 3 === 1 ? 'Un jardin et un verger' : 'Un lieu ouvert',
				description: i % 2 === 0 ? 'Nous cultivons un jardin, des jardins, le jardin.' : 'Des outils.',
				themes: [themeIds[i % 3]]
			});
			slugs.push(project.slug);
			await forceStatus(project.id, 'published', new Date(Date.now() - (i + 1) * 60_000));
		}
	});

	it('ranks every match when fewer than the cap match, and counts them exactly', async () => {
		const expected = await rankedSlugs('jardin');
		expect(expected.length).toBe(10);
		const result = await searchProjects(filters({ q: 'jardin', per_page: '4' }));
		expect(result).toMatchObject({ total: 10, capped: false, page: 1, perPage: 4 });
		expect(result.rows.map((r) => r.slug)).toEqual(expected.slice(0, 4));
		const page3 = await searchProjects(filters({ q: 'jardin', per_page: '4', page: '3' }));
		expect(page3.rows.map((r) => r.slug)).toEqual(expected.slice(8, 10));
	});

	it('with more matches than the cap, ranks the newest ones and says the count is capped', async () => {
		const cap = 5;
		const expected = await rankedSlugs('jardin', cap);
		const result = await searchProjects(filters({ q: 'jardin', per_page: '3' }), db(), { cap });
		expect(result).toMatchObject({ total: cap, capped: true });
		expect(result.rows.map((r) => r.slug)).toEqual(expected.slice(0, 3));
		// Every listed project is among the five newest matches.
		const newest = (await rankedSlugs('jardin')).filter((s) => expected.includes(s));
		expect(newest.sort()).toEqual([...expected].sort());
		const plain = await searchProjects(filters({ per_page: '3' }), db(), { cap });
		expect(plain).toMatchObject({ total: cap, capped: true });
		expect(plain.rows.map((r) => r.slug)).toEqual(slugs.slice(0, 3));
		const exact = await searchProjects(filters({ per_page: '3' }), db(), { cap: 12 });
		expect(exact).toMatchObject({ total: 12, capped: false });
	});

	it('answers a page past the last match with no rows and the count', async () => {
		const result = await searchProjects(filters({ q: 'jardin', per_page: '4', page: '4' }));
		expect(result).toMatchObject({ rows: [], total: 10, capped: false, page: 4 });
		const plain = await searchProjects(filters({ per_page: '5', page: '9' }));
		expect(plain).toMatchObject({ rows: [], total: 12, capped: false });
		const { status, body } = await api('?per_page=5&page=9');
		expect(status).toBe(200);
		expect(body.meta).toEqual({ page: 9, per_page: 5, total: 12, capped: false });
	});

	it('refuses a page beyond the listed ones: a 400 from the API, an ignored filter on the page', async () => {
		expect(maxPage(20)).toBe(LISTED_MAX / 20);
		expect(projectFiltersSchema.safeParse({ page: String(maxPage(20)) }).success).toBe(true);
		for (const query of ['page=26', 'page=100000', 'per_page=100&page=6', 'page=501&per_page=1']) {
			const { status, body } = await api(`?${query}`);
			expect(status, query).toBe(400);
			expect(body.error).toMatchObject({ code: 'invalid_parameter', parameter: 'page' });
			expect(body.error.message).toContain(String(LISTED_MAX));
		}
		const page = await listingPage('?page=100000&q=jardin');
		expect(page.invalid).toEqual(['page']);
		expect(page.result).toMatchObject({ page: 1, total: 10 });
		// Two invalid values, found in two rounds (the page only once per_page is known).
		const both = await listingPage('?page=60&per_page=abc');
		expect(both.invalid.sort()).toEqual(['page', 'per_page']);
		expect(both.result.page).toBe(1);
	});

	it('keeps bad input cheap: 1,000 characters of words, 50 filter values, a huge page', async () => {
		const started = Date.now();
		const long = Array.from({ length: 200 }, (_, i) => `jardin${i}`).join(' ');
		expect((await api(`?q=${encodeURIComponent(long.slice(0, 1000))}`)).status).toBe(400);
		expect((await listingPage(`?q=${encodeURIComponent(long.slice(0, 1000))}`)).invalid).toEqual(['q']);
		// 200 characters of many words: only the first twelve are searched.
		const many = await api(`?q=${encodeURIComponent('jardin '.repeat(28).slice(0, 200))}`);
		expect(many.status).toBe(200);
		expect(many.body.meta.total).toBe(10);
		const fifty = Array.from({ length: 50 }, (_, i) => `theme=t${i}`).join('&');
		expect((await api(`?${fifty}`)).status).toBe(400);
		const page = await listingPage(`?${fifty}&theme=${themeSlugs[0]}`);
		expect(page.invalid).toEqual([]);
		expect(page.result.total).toBe(4);
		expect((await api('?page=100000000000000000000')).status).toBe(400);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('filters by territory, theme and need kind through the facets the triggers keep', async () => {
		const count = async (raw: Record<string, string>) => (await searchProjects(filters(raw))).total;
		expect(await count({ territory: region.slug })).toBe(12);
		expect(await count({ territory: city.slug, theme: themeSlugs[0] })).toBe(4);
		expect(await count({ need: 'volunteers' })).toBe(12);
		expect(await count({ need: 'expertise' })).toBe(0);
		expect((await projectsInTerritory(region.slug)).total).toBe(12);

		// A need added, then deleted.
		const first = (await searchProjects(filters({ territory: city.slug, per_page: '1' }))).rows[0];
		const need = await addNeed(owner, first.id, {
			kind: 'expertise',
			title: 'Plan de financement',
			skill: 'Comptabilité',
			hours: '4',
			stageId: null
		} as never);
		expect(await count({ need: 'expertise' })).toBe(1);
		await deleteNeed(owner, first.id, (need as { id: string }).id);
		expect(await count({ need: 'expertise' })).toBe(0);

		// Themes changed by the project's edit (draft again for the edit, then back).
		await db().execute(sql`UPDATE projects SET status = 'draft' WHERE id = ${first.id}`);
		await updateProject(owner, first.id, {
			title: 'Jardin partagé 0',
			summary: 'Un lieu ouvert',
			description: '',
			territoryId: city.id,
			themes: [themeIds[5]],
			lat: null,
			lng: null
		} as never);
		await forceStatus(first.id, 'published', first.publishedAt);
		expect(await count({ theme: themeSlugs[5] })).toBe(1);
		expect(await count({ theme: themeSlugs[0] })).toBe(3);

		// A theme renamed, a territory renamed and moved under another region.
		await db().execute(sql`UPDATE themes SET slug = 'renamed-theme' WHERE id = ${themeIds[5]}`);
		expect(await count({ theme: 'renamed-theme' })).toBe(1);
		expect(await count({ theme: themeSlugs[5] })).toBe(0);
		const other = await buildTerritory({ slug: 'normandie', kind: 'region' });
		await db().execute(
			sql`UPDATE territories SET slug = 'rennes-metropole', parent_id = ${other.id} WHERE id = ${city.id}`
		);
		expect(await count({ territory: 'rennes-metropole' })).toBe(12);
		expect(await count({ territory: 'normandie' })).toBe(12);
		expect(await count({ territory: region.slug })).toBe(0);
		await db().execute(sql`UPDATE themes SET slug = ${themeSlugs[5]} WHERE id = ${themeIds[5]}`);
		await db().execute(
			sql`UPDATE territories SET slug = ${city.slug}, parent_id = ${region.id} WHERE id = ${city.id}`
		);
		expect(await count({ territory: region.slug })).toBe(12);
	});

	it('reports the capped flag in the API meta', async () => {
		const { body } = await api('?q=jardin&per_page=2');
		expect(body.meta).toEqual({ page: 1, per_page: 2, total: 10, capped: false });
	});
});

describe('a listing at a realistic size', () => {
	const N = onPostgres ? 20_000 : 2_500;

	beforeAll(async () => {
		const territory = await buildTerritory({ slug: 'grand-lyon', kind: 'region' });
		const owner = (await buildUser()).actor;
		// Set-based: 40 % of the projects are about gardens; housing for one in three. The
		// words vary as in real texts (a few hundred distinct ones), so that the planner's statistics of the
		// search index look like those of a real instance.
		const subjects = [
			'Atelier vélo',
			'Repair café',
			'Cantine solidaire',
			'Bibliothèque de rue',
			'Ressourcerie',
			'Fresque murale',
			'Compost collectif',
			'Épicerie coopérative',
			'Fête de quartier',
			'Café associatif',
			'Recyclerie',
			'Boîte à livres'
		];
		const places = [
			'des Tanneurs',
			'du Plateau',
			'de la Gare',
			'des Lilas',
			'du Vieux-Port',
			'de la Croix-Rousse',
			'des Capucins',
			'de Belleville',
			'du Marais',
			'des Chartrons',
			'du Canal'
		];
		await db().execute(sql`
			INSERT INTO projects (slug, title, summary, description, territory_id, status, owner_id, published_at)
			SELECT 'bulk-' || i,
				CASE WHEN i % 5 < 2 THEN 'Jardin ' ELSE '' END || (ARRAY[${sql.join(
					subjects.map((w) => sql`${w}`),
					sql`, `
				)}]::text[])[1 + i % 12] || ' ' || (ARRAY[${sql.join(
					places.map((w) => sql`${w}`),
					sql`, `
				)}]::text[])[1 + i % 11],
				CASE WHEN i = 1234 THEN 'Un verger partagé' WHEN i % 7 = 0 THEN 'Un jardin de quartier' ELSE 'Un lieu ouvert' END,
				'Des voisins se retrouvent autour du projet numéro ' || i || ' : ' || 'thème' || (i % 400) || ', rue ' || (i % 300) || '.',
				${territory.id}, 'published', ${owner.id}, now() - make_interval(mins => i)
			FROM generate_series(1, ${N}) AS i`);
		await db().execute(sql`
			INSERT INTO project_themes (project_id, theme_id)
			SELECT p.id, (SELECT id FROM themes ORDER BY position OFFSET CASE WHEN substr(p.slug, 6)::int % 3 = 0 THEN 0 ELSE 1 END LIMIT 1)
			FROM projects p WHERE p.slug LIKE 'bulk-%'`);
		await db().execute(sql`
			INSERT INTO needs (project_id, kind, title, quantity)
			SELECT p.id, 'material', 'Tables', 5 FROM projects p WHERE p.slug LIKE 'bulk-%'`);
		await refreshSearchWhere(db(), sql`p.slug LIKE 'bulk-%'`);
		// Every project gets a theme (housing for one in three) and a need, so that the triggers rewrite
		// every row alike and the table keeps the projects interleaved as a table grown by use does (a
		// theme for a third only would move that third to the end of the table). Then compacted, as the
		// bench does after its seed.
		await db().execute(sql`VACUUM FULL projects`);
		await db().execute(sql`ANALYZE projects`);
	}, 300_000);

	/**
	 * What a statement may read of the projects table: a few times the cap (a filter that one project in
	 * k passes reads about k × LISTED_MAX rows to count LISTED_MAX + 1 of them; rarer matches come from an
	 * index), never the whole table (N = 20,000 on PostgreSQL).
	 */
	const MAX_READ = 8 * (LISTED_MAX + 1);

	/** The statements `fn` sends (text and parameters), at the driver. */
	async function record(fn: () => Promise<unknown>): Promise<{ text: string; params: unknown[] }[]> {
		const database: Database = test.current();
		const target = (database.pool ?? database.pglite) as unknown as Record<string, unknown>;
		const original = target.query as (...a: unknown[]) => unknown;
		const seen: { text: string; params: unknown[] }[] = [];
		target.query = function (this: unknown, q: unknown, params?: unknown, ...rest: unknown[]) {
			const text = typeof q === 'string' ? q : String((q as { text?: string }).text);
			const values = Array.isArray(params) ? params : ((q as { values?: unknown[] }).values ?? []);
			seen.push({ text, params: values });
			return original.call(this, q, params, ...rest);
		};
		try {
			await fn();
		} finally {
			target.query = original;
		}
		return seen;
	}

	/** The largest number of rows a scan of `projects` reads (returned plus removed by a filter). */
	async function largestProjectsScan(statement: { text: string; params: unknown[] }): Promise<number> {
		const database: Database = test.current();
		const { rows } = await database.query<Record<string, unknown>>(
			`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
			statement.params
		);
		const raw = Object.values(rows[0])[0];
		const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
		type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };
		let largest = 0;
		const walk = (node: PlanNode) => {
			if (node['Relation Name'] === 'projects') {
				const loops = Number(node['Actual Loops'] ?? 1);
				const read = (Number(node['Actual Rows'] ?? 0) + Number(node['Rows Removed by Filter'] ?? 0)) * loops;
				largest = Math.max(largest, read);
			}
			for (const child of node.Plans ?? []) walk(child);
		};
		walk(plan[0].Plan);
		return largest;
	}

	it('counts up to the cap, ranks the newest matches and pages to the last listed page', async () => {
		const search = await searchProjects(filters({ q: 'jardin' }));
		expect(search).toMatchObject({ total: LISTED_MAX, capped: true });
		expect(search.rows.map((r) => r.slug)).toEqual((await rankedSlugs('jardin', LISTED_MAX)).slice(0, 20));
		const plain = await searchProjects(filters({}));
		expect(plain).toMatchObject({ total: LISTED_MAX, capped: true });
		const last = await searchProjects(filters({ q: 'jardin', page: String(maxPage(20)) }));
		expect(last.rows).toHaveLength(20);
		const rare = await searchProjects(filters({ q: 'verger' }));
		// The one bulk project and the four of the first block that mention an orchard.
		expect(rare).toMatchObject({ total: 5, capped: false });
	});

	it.each([
		['plain', {}],
		['q=jardin', { q: 'jardin' }],
		['q=jardin, the last page', { q: 'jardin', page: String(maxPage(20)) }],
		['the last page', { page: String(maxPage(20)) }],
		['territory, theme, need', { territory: 'grand-lyon', theme: 'housing', need: 'material' }],
		['territory', { territory: 'grand-lyon', per_page: '12' }],
		['a rare word', { q: 'verger' }]
	])('reads a bounded number of projects: %s', async (_name, raw) => {
		const statements = await record(() => searchProjects(filters(raw as Record<string, string>)));
		const listing = statements.filter((s) => /FROM projects p/.test(s.text));
		expect(listing.length).toBeGreaterThan(0);
		for (const statement of listing) {
			const read = await largestProjectsScan(statement);
			if (read > MAX_READ) {
				const { rows } = await test
					.current()
					.query<Record<string, string>>(`EXPLAIN ANALYZE ${statement.text}`, statement.params);
				const plan = rows.map((r) => Object.values(r)[0]).join('\n');
				expect.fail(`${read} rows of projects read by\n${statement.text}\n${plan}`);
			}
		}
	});
});
