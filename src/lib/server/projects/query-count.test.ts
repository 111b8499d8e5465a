// The number of SQL queries a public page sends is bounded by a constant, whatever the amount of data:
// the listings, the project page, the home and territory pages and the API are loaded with 3 projects,
// then with 40 (each with four needs, shifts, a stage and themes), and must send the same number of
// statements. Queries are counted at the driver (the pg Pool or the PGlite instance under Drizzle),
// so a loop of queries hidden anywhere in a loader shows up.
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, forceStatus } from '../../../../tests/factories/projects';
import { db, type Database } from '../db/client';
import { needs } from '../needs/schema';
import type { Actor } from '../accounts';
import { listThemes } from '../territories';
import { addNeed, addShift } from '../needs';
import { addStage, getProjectPage, searchProjects } from './index';
import { projectFiltersSchema } from '$lib/shared/projects/schemas';
import { listProjectsEndpoint, projectEndpoint } from '../api';
import { load as loadProjects } from '../../../routes/(public)/projects/+page.server';
import { load as loadProject } from '../../../routes/(public)/projects/[slug]/+page.server';
import { load as loadHome } from '../../../routes/(public)/+page.server';
import { load as loadTerritory } from '../../../routes/(public)/territories/[slug]/+page.server';

const test = useTestDatabase({ jobs: false });

type AnyFn = (...args: never[]) => unknown;

/**
 * Runs `fn` while counting the statements the driver receives: `query`/`exec` of the pg Pool or of PGlite,
 * including those of the clients and transactions they hand out. Returns the SQL texts in order.
 */
async function recordQueries(fn: () => Promise<unknown>): Promise<string[]> {
	const database: Database = test.current();
	const seen: string[] = [];
	const restore: (() => void)[] = [];
	const textOf = (q: unknown) =>
		typeof q === 'string' ? q : String((q as { text?: string } | null)?.text ?? '(query object)');
	/** Replaces `target[name]` by a counting wrapper until the end of the recording. */
	const patch = (target: object, name: string, after?: (result: unknown) => unknown) => {
		const holder = target as Record<string, AnyFn>;
		const original = holder[name];
		if (typeof original !== 'function') return;
		const hadOwn = Object.prototype.hasOwnProperty.call(target, name);
		holder[name] = function (this: unknown, ...args: unknown[]) {
			if (name === 'query' || name === 'exec') seen.push(textOf(args[0]));
			const result = (original as (...a: unknown[]) => unknown).apply(this, args);
			return after ? after(result) : result;
		} as AnyFn;
		restore.push(() => {
			if (hadOwn) holder[name] = original;
			else delete holder[name];
		});
	};
	if (database.pool) {
		patch(database.pool, 'query');
		// A client checked out of the pool (transactions): count its queries too.
		patch(database.pool, 'connect', (result) =>
			result instanceof Promise
				? result.then((client: object) => {
						patch(client, 'query');
						return client;
					})
				: result
		);
	}
	if (database.pglite) {
		const pglite = database.pglite;
		patch(pglite, 'query');
		patch(pglite, 'exec');
		const originalTransaction = pglite.transaction;
		pglite.transaction = ((callback: (tx: object) => Promise<unknown>) =>
			originalTransaction.call(pglite, (tx) => {
				patch(tx, 'query');
				patch(tx, 'exec');
				return callback(tx);
			})) as typeof pglite.transaction;
		restore.push(() => {
			pglite.transaction = originalTransaction;
		});
	}
	try {
		await fn();
	} finally {
		for (const undo of restore.reverse()) undo();
	}
	return seen;
}

/** The number of statements `fn` sends, after one call to warm anything lazily loaded. */
async function countQueries(fn: () => Promise<unknown>): Promise<{ count: number; statements: string[] }> {
	await fn();
	const statements = await recordQueries(fn);
	return { count: statements.length, statements };
}

const TITLES = [
	'Jardin partagé des Tanneurs',
	'Atelier vélo de la Gare',
	'Repair café du Plateau',
	'Community garden in Mile End',
	'Cantine solidaire des Lilas',
	'Bibliothèque de rue du Canal'
];

let region: { id: string; slug: string };
let city: { id: string; slug: string };
let owner: Actor;
let moderator: Actor;
let themeIds: string[];
let made = 0;
let firstSlug = '';

/** Adds public projects with a stage, four needs (one of each kind) and three shifts each. */
async function addPublicProjects(n: number): Promise<void> {
	for (let k = 0; k < n; k++) {
		const i = made++;
		const project = await buildProject(owner, city.id, {
			title: `${TITLES[i % TITLES.length]} ${i}`,
			summary: 'Un jardin ouvert à tous au cœur du quartier.',
			themes: [themeIds[i % themeIds.length], themeIds[(i + 3) % themeIds.length]],
			lat: 45.76 + (i % 10) * 0.01,
			lng: 4.83 + (i % 7) * 0.01,
			endsOn: `2027-${String(4 + (i % 8)).padStart(2, '0')}-28`
		});
		if (!firstSlug) firstSlug = project.slug;
		await addStage(owner, project.id, { name: 'Préparation', startsOn: '2027-03-01', endsOn: '2027-04-01' });
		await addNeed(owner, project.id, {
			kind: 'money',
			title: 'Achat des outils',
			goalMinor: '1500',
			currency: 'EUR',
			campaignModel: 'keep_it_all',
			deadline: '2027-06-30',
			stageId: null
		} as never);
		await addNeed(owner, project.id, {
			kind: 'material',
			title: 'Bacs en bois',
			quantity: '12',
			unit: 'pièces',
			materialMode: 'give',
			returnBy: '',
			dropoff: 'Au local',
			stageId: null
		} as never);
		await addNeed(owner, project.id, {
			kind: 'expertise',
			title: 'Plan de financement',
			skill: 'Comptabilité',
			hours: '6',
			stageId: null
		} as never);
		const [volunteers] = await db()
			.select({ id: needs.id })
			.from(needs)
			.where(and(eq(needs.projectId, project.id), eq(needs.kind, 'volunteers')));
		for (const day of ['2027-04-03', '2027-04-10', '2027-04-17']) {
			await addShift(owner, project.id, volunteers.id, {
				date: day,
				startTime: '09:00',
				endTime: '12:00',
				place: 'Au jardin',
				capacity: '6'
			});
		}
		await forceStatus(project.id, 'published', new Date(Date.now() - (i + 1) * 60_000));
	}
}

type Loader = (event: unknown) => Promise<unknown>;
const asLoader = (load: unknown) => load as Loader;

/** A page load as SvelteKit would call it (only what these loaders read). */
function pageEvent(path: string, params: Record<string, string> = {}, actor: Actor | null = null) {
	return { url: new URL(path, 'http://localhost'), params, locals: { actor } };
}

/**
 * Every page and endpoint under test: its name, the most statements it may send, and the work it does
 * (the same calls as in production). Today a listing is one statement (count, page and needs) + money
 * raised (2; the words of a search are turned into a tsquery once, then remembered); the /projects form and
 * the home page add territories and themes (4); the project page is project with its card + needs with
 * shifts + money raised + stages + team (5), plus the reader's role and shift sign-ups when signed in (7). The bounds leave a little room for new features; the equality test is the strict one.
 */
function cases(): [string, number, () => Promise<unknown>][] {
	const LISTING = 6;
	const LISTING_PAGE = 8;
	const PROJECT_PAGE = 10;
	const listing = (query: string) => () => asLoader(loadProjects)(pageEvent(`/projects${query}`));
	const projectPage = (actor: Actor | null) => () =>
		asLoader(loadProject)(pageEvent(`/projects/${firstSlug}`, { slug: firstSlug }, actor));
	const api = (path: string) => ({
		url: new URL(path, 'http://localhost'),
		request: new Request(new URL(path, 'http://localhost'))
	});
	return [
		['/projects', LISTING_PAGE, listing('')],
		['/projects?q=jardin', LISTING_PAGE, listing('?q=jardin')],
		['/projects?theme&need', LISTING_PAGE, listing('?theme=food&need=volunteers')],
		[
			'/projects?territory&sort=ending_soon',
			LISTING_PAGE,
			listing(`?territory=${region.slug}&sort=ending_soon`)
		],
		[
			'/projects?near&radius_km&sort=closest',
			LISTING_PAGE,
			listing('?near=45.76,4.83&radius_km=50&sort=closest')
		],
		[
			'searchProjects per_page=100',
			LISTING,
			() => searchProjects(projectFiltersSchema.parse({ per_page: '100' }))
		],
		['/projects/[slug] anonymous', PROJECT_PAGE, projectPage(null)],
		['/projects/[slug] owner', PROJECT_PAGE, projectPage(owner)],
		['getProjectPage moderator', PROJECT_PAGE, () => getProjectPage(moderator, firstSlug)],
		['/ (home)', LISTING_PAGE, () => asLoader(loadHome)(pageEvent('/'))],
		[
			'/territories/[slug]',
			LISTING_PAGE + 1,
			() => asLoader(loadTerritory)(pageEvent(`/territories/${region.slug}`, { slug: region.slug }))
		],
		['GET /api/v1/projects?q=jardin', LISTING, () => listProjectsEndpoint(api('/api/v1/projects?q=jardin'))],
		[
			'GET /api/v1/projects/{slug}',
			PROJECT_PAGE,
			() => projectEndpoint(api(`/api/v1/projects/${firstSlug}`), firstSlug)
		]
	];
}

type Counts = Map<string, { max: number; count: number; statements: string[] }>;

/** The statement counts of every case, in order. */
async function countAll(): Promise<Counts> {
	const result: Counts = new Map();
	for (const [name, max, run] of cases()) result.set(name, { max, ...(await countQueries(run)) });
	return result;
}

describe('SQL queries per page', () => {
	let small: Counts;
	let large: Counts;

	beforeAll(async () => {
		region = await buildTerritory({ slug: 'rhone', kind: 'region' });
		city = await buildTerritory({ slug: 'lyon', parentId: region.id, lat: 45.76, lng: 4.83 });
		await buildTerritory({ slug: 'lyon-croix-rousse', kind: 'neighbourhood', parentId: city.id });
		owner = (await buildUser()).actor;
		moderator = (await buildUser({ moderates: [region.id] })).actor;
		themeIds = (await listThemes()).map((t) => t.id);

		await addPublicProjects(3);
		small = await countAll();
		await addPublicProjects(37);
		large = await countAll();
	}, 180_000);

	it('counts statements at the driver', async () => {
		const statements = await recordQueries(() => test.current().db.execute(sql`SELECT 1`));
		expect(statements).toHaveLength(1);
		const r = await searchProjects(projectFiltersSchema.parse({}));
		expect(r.total).toBe(40);
		expect(r.rows).toHaveLength(20);
		expect(r.rows.every((card) => card.needs.length === 4)).toBe(true);
	});

	it('sends as many queries with 40 projects as with 3, for every page', () => {
		const report = [...small].map(([name, s]) => `${name}: ${s.count} → ${large.get(name)!.count}`);
		for (const [name, s] of small) {
			const l = large.get(name)!;
			expect(
				l.count,
				`${name} (3 projects: ${s.count}, 40 projects: ${l.count})\n${l.statements.join('\n---\n')}`
			).toBe(s.count);
		}
		console.log(`SQL queries per page (3 projects → 40 projects):\n  ${report.join('\n  ')}`);
	});

	it('keeps the counts small', () => {
		for (const [name, { max, count, statements }] of large) {
			expect(count, `${name}: ${count} queries\n${statements.join('\n---\n')}`).toBeLessThanOrEqual(max);
		}
	});
});
