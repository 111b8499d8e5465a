import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import {
	buildProject,
	allYes,
	allPass,
	publishProject,
	forceStatus
} from '../../../../tests/factories/projects';
import { db } from '../db/client';
import { themes as themesTable } from '../territories/schema';
import { config } from '../platform/config';
import type { Actor } from '../accounts';
import { addStage, cancelProject, startProject, completeProject } from '../projects';
import { addNeed } from '../needs';
import { submitProject, reviewProject } from '../moderation';
import { needKinds, projectSorts, publicStatuses } from '$lib/shared/projects/enums';
import { GET as listProjects } from '../../../routes/api/v1/projects/+server';
import { GET as getProject } from '../../../routes/api/v1/projects/[slug]/+server';
import { GET as geojson } from '../../../routes/api/v1/projects.geojson/+server';
import { GET as listTerritories } from '../../../routes/api/v1/territories/+server';
import { GET as listThemes } from '../../../routes/api/v1/themes/+server';
import { GET as openapi } from '../../../routes/api/v1/openapi.json/+server';
import { GET as unknownEndpoint } from '../../../routes/api/v1/[...path]/+server';
import { openApiDocument } from './openapi';
import { checkOpenApi, validate } from './openapi-check';
import { filterParameters } from './params';

useTestDatabase();

type Handler = (event: never) => Response | Promise<Response>;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls a route handler as SvelteKit would, with a fake RequestEvent. */
async function call(
	handler: Handler,
	path: string,
	options: { params?: Record<string, string>; headers?: Record<string, string> } = {}
): Promise<{ res: Response; body: Body }> {
	const url = new URL(`http://localhost${path}`);
	const event = {
		url,
		params: options.params ?? {},
		request: new Request(url, { headers: options.headers })
	};
	const res = await handler(event as never);
	return { res, body: (await res.json()) as Body };
}

const detail = (slug: string, query = '', headers?: Record<string, string>) =>
	call(getProject, `/api/v1/projects/${encodeURIComponent(slug)}${query}`, { params: { slug }, headers });
const slugsOf = (body: Body) => (body.data as { slug: string }[]).map((p) => p.slug).sort();

const doc = openApiDocument() as unknown as Record<string, unknown> & { paths: Body; components: Body };
const responseSchema = (path: string, status: string, type = 'application/json') => {
	const r = doc.paths[path].get.responses[status];
	const response = r.$ref ? doc.components.responses[r.$ref.split('/').pop()] : r;
	return response.content[type].schema;
};

function expectSuccessHeaders(res: Response, type = 'application/json') {
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toContain(type);
	expect(res.headers.get('cache-control')).toBe('public, max-age=60');
	expect(res.headers.get('access-control-allow-origin')).toBe('*');
}

function expectError(res: Response, body: Body, status: number, code: string) {
	expect(res.status).toBe(status);
	expect(res.headers.get('content-type')).toContain('application/json');
	expect(res.headers.get('cache-control')).toBe('no-store');
	expect(res.headers.get('access-control-allow-origin')).toBe('*');
	expect(body.error.code).toBe(code);
	expect(typeof body.error.message).toBe('string');
	expect(validate(doc, { $ref: '#/components/schemas/Error' }, body)).toEqual([]);
}

let owner: Actor;
let admin: Actor;
let stageId: string;
let moneyNeedId: string;
const publicSlugs: Record<string, string> = {};
const hiddenSlugs: Record<string, string> = {};

beforeAll(async () => {
	const region = await buildTerritory({
		slug: 'loire',
		kind: 'region',
		nameFr: 'Loire',
		nameEn: 'Loire (department)'
	});
	const city = await buildTerritory({
		slug: 'saint-etienne',
		parentId: region.id,
		nameFr: 'Saint-Étienne',
		nameEn: 'Saint-Etienne city',
		lat: 45.44,
		lng: 4.39
	});
	const lyon = await buildTerritory({ slug: 'lyon', nameFr: 'Lyon', nameEn: 'Lyons', lat: 45.76, lng: 4.84 });
	const gone = await buildTerritory({ slug: 'ancienne-commune', archivedAt: new Date() });
	await buildTerritory({ slug: 'quartier-orphelin', kind: 'neighbourhood', parentId: gone.id });
	owner = (await buildUser()).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
	const themeRows = await db().select().from(themesTable);
	const theme = (slug: string) => themeRows.find((t) => t.slug === slug)!.id;

	// Public projects, through the real commands.
	const garden = await buildProject(owner, city.id, {
		title: 'Jardin partagé des Tanneurs',
		description: '## Notre jardin\n\nNous cultivons **ensemble**.',
		carrierName: 'Les Amis du Jardin',
		themes: [theme('food')],
		lat: '45.4425',
		lng: '4.3795'
	} as never);
	const stage = await addStage(owner, garden.id, {
		name: 'Semis',
		description: 'Premiers semis',
		startsOn: '2027-03-01',
		endsOn: '2027-04-01'
	});
	stageId = stage.id;
	const money = await addNeed(owner, garden.id, {
		kind: 'money',
		title: 'Outils',
		goalMinor: '1 500,00',
		currency: 'EUR',
		campaignModel: 'all_or_nothing',
		deadline: '2027-02-01',
		stageId: stage.id
	} as never);
	moneyNeedId = money.id;
	await addNeed(owner, garden.id, {
		kind: 'expertise',
		title: 'Conseil juridique',
		skill: 'droit',
		hours: '4',
		stageId: ''
	} as never);
	const bikes = await buildProject(owner, lyon.id, {
		title: 'Atelier de réparation de vélos',
		themes: [theme('mobility'), theme('repair-diy')],
		lat: '45.75',
		lng: '4.85'
	} as never);
	const noPoint = await buildProject(owner, city.id, { title: 'Bibliothèque sans adresse' });
	for (const p of [garden, bikes, noPoint]) await publishProject(owner, admin, p.id);
	Object.assign(publicSlugs, { garden: garden.slug, bikes: bikes.slug, noPoint: noPoint.slug });

	// Later public states: started and completed through the commands, funding states forced.
	const located = { lat: '45.76', lng: '4.83' };
	const started = await buildProject(owner, lyon.id, {
		title: 'Atelier visible en cours',
		...located
	} as never);
	const completed = await buildProject(owner, lyon.id, {
		title: 'Atelier visible terminé',
		...located
	} as never);
	const funded = await buildProject(owner, lyon.id, {
		title: 'Atelier visible financé',
		...located
	} as never);
	const notFunded = await buildProject(owner, lyon.id, {
		title: 'Atelier visible non financé',
		...located
	} as never);
	for (const p of [started, completed, funded, notFunded]) await publishProject(owner, admin, p.id);
	await startProject(owner, started.id);
	await startProject(owner, completed.id);
	await completeProject(owner, completed.id, 'Fait.');
	await forceStatus(funded.id, 'funded');
	await forceStatus(notFunded.id, 'not_funded');
	Object.assign(publicSlugs, {
		started: started.slug,
		completed: completed.slug,
		funded: funded.slug,
		notFunded: notFunded.slug
	});

	// Never public: every one is located near the garden and has the word "clandestin".
	const near = { lat: '45.441', lng: '4.389' };
	const hidden = async (title: string) => buildProject(owner, city.id, { title, ...near } as never);
	const draft = await hidden('Clandestin brouillon');
	const submitted = await hidden('Clandestin soumis');
	await submitProject(owner, submitted.id, { answers: await allYes() });
	const changes = await hidden('Clandestin à reprendre');
	await submitProject(owner, changes.id, { answers: await allYes() });
	await reviewProject(admin, changes.id, {
		decision: 'request_changes',
		message: 'Précisez.',
		judgements: await allPass()
	});
	const declined = await hidden('Clandestin refusé');
	await submitProject(owner, declined.id, { answers: await allYes() });
	await reviewProject(admin, declined.id, {
		decision: 'decline',
		message: 'Non.',
		judgements: await allPass()
	});
	const cancelled = await hidden('Clandestin annulé après publication');
	await publishProject(owner, admin, cancelled.id);
	await cancelProject(owner, cancelled.id, 'Abandon.');
	const scheduled = await hidden('Clandestin programmé');
	await submitProject(owner, scheduled.id, { answers: await allYes() });
	await reviewProject(admin, scheduled.id, {
		decision: 'approve',
		publishOn: new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10),
		judgements: await allPass()
	});
	const futureForced = await hidden('Clandestin publié demain');
	await forceStatus(futureForced.id, 'published', new Date(Date.now() + 86400_000));
	const forcedDeclined = await hidden('Clandestin refusé de force');
	await forceStatus(forcedDeclined.id, 'declined');
	const forcedCancelled = await hidden('Clandestin annulé de force');
	await forceStatus(forcedCancelled.id, 'cancelled');
	const forcedDraft = await hidden('Clandestin brouillon daté');
	await forceStatus(forcedDraft.id, 'draft');
	Object.assign(hiddenSlugs, {
		draft: draft.slug,
		submitted: submitted.slug,
		changes: changes.slug,
		declined: declined.slug,
		cancelled: cancelled.slug,
		scheduled: scheduled.slug,
		futureForced: futureForced.slug,
		forcedDeclined: forcedDeclined.slug,
		forcedCancelled: forcedCancelled.slug,
		forcedDraft: forcedDraft.slug
	});
});

describe('GET /api/v1/projects', () => {
	it('lists every public project and nothing else, in the documented shape', async () => {
		const { res, body } = await call(listProjects, '/api/v1/projects');
		expectSuccessHeaders(res);
		expect(validate(doc, responseSchema('/projects', '200'), body)).toEqual([]);
		expect(slugsOf(body)).toEqual(Object.values(publicSlugs).sort());
		expect(body.meta).toEqual({ page: 1, per_page: 20, total: 7, capped: false });
	});

	it('gives each project its territory, themes, point, absolute url, dates and measured needs', async () => {
		const { body } = await call(listProjects, '/api/v1/projects?theme=food');
		expect(body.data).toHaveLength(1);
		const garden = body.data[0];
		expect(garden).toMatchObject({
			slug: publicSlugs.garden,
			title: 'Jardin partagé des Tanneurs',
			status: 'published',
			territory: { slug: 'saint-etienne', name: 'Saint-Étienne' },
			themes: [{ slug: 'food', name: 'Alimentation' }],
			location: { lat: 45.4425, lng: 4.3795 },
			url: `${config().publicUrl}/projects/${publicSlugs.garden}`,
			ends_at: '2027-10-31'
		});
		expect(new URL(garden.url).protocol).toMatch(/^https?:$/);
		expect(new Date(garden.published_at).toISOString()).toBe(garden.published_at);
		expect(Date.parse(garden.published_at)).toBeLessThanOrEqual(Date.now());
		const byKind = Object.fromEntries(garden.needs.map((n: Body) => [n.kind, n]));
		expect(byKind.money).toEqual({
			id: moneyNeedId,
			kind: 'money',
			title: 'Outils',
			target: 150000,
			fulfilled: 0,
			unit: 'EUR',
			currency: 'EUR',
			stage: stageId
		});
		expect(byKind.volunteers).toMatchObject({ unit: 'people', currency: null, stage: null, fulfilled: 0 });
		expect(byKind.expertise).toMatchObject({ target: 4, fulfilled: 0, unit: 'hours', currency: null });
		for (const n of garden.needs) {
			expect(Number.isInteger(n.target)).toBe(true);
			expect(Number.isInteger(n.fulfilled)).toBe(true);
		}
		const { body: all } = await call(listProjects, '/api/v1/projects');
		const noPoint = all.data.find((p: Body) => p.slug === publicSlugs.noPoint);
		expect(noPoint.location).toBeNull();
	});

	it('names territories and themes in the language of ?lang, else Accept-Language, else French', async () => {
		const name = async (query: string, headers?: Record<string, string>) => {
			const { res, body } = await call(listProjects, `/api/v1/projects?theme=food${query}`, { headers });
			return {
				territory: body.data[0].territory.name,
				theme: body.data[0].themes[0].name,
				lang: res.headers.get('content-language')
			};
		};
		expect(await name('&lang=en')).toEqual({ territory: 'Saint-Etienne city', theme: 'Food', lang: 'en' });
		expect(await name('&lang=fr', { 'accept-language': 'en' })).toMatchObject({ theme: 'Alimentation' });
		expect(await name('', { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' })).toMatchObject({
			theme: 'Food',
			lang: 'en'
		});
		expect(await name('', { 'accept-language': 'de-DE, en;q=0.5, fr;q=0.8' })).toMatchObject({
			theme: 'Alimentation',
			lang: 'fr'
		});
		expect(await name('', { 'accept-language': 'de' })).toMatchObject({ theme: 'Alimentation' });
		expect(await name('')).toMatchObject({ territory: 'Saint-Étienne', lang: 'fr' });
		const { res } = await call(listProjects, '/api/v1/projects');
		expect(res.headers.get('vary')).toContain('Accept-Language');
	});

	it('filters by territory (with sub-territories), theme, need, status, distance and text', async () => {
		const slugs = async (query: string) =>
			slugsOf((await call(listProjects, `/api/v1/projects?${query}`)).body);
		expect(await slugs('territory=loire')).toEqual([publicSlugs.garden, publicSlugs.noPoint].sort());
		expect(await slugs('territory=lyon')).toEqual(
			[
				publicSlugs.bikes,
				publicSlugs.started,
				publicSlugs.completed,
				publicSlugs.funded,
				publicSlugs.notFunded
			].sort()
		);
		expect(await slugs('territory=nowhere')).toEqual([]);
		expect(await slugs('theme=mobility')).toEqual([publicSlugs.bikes]);
		expect(await slugs('need=money')).toEqual([publicSlugs.garden]);
		expect(await slugs('need=expertise&territory=lyon')).toEqual([]);
		expect(await slugs('status=in_progress')).toEqual([publicSlugs.started]);
		expect(await slugs('status=completed')).toEqual([publicSlugs.completed]);
		expect(await slugs('status=funded')).toEqual([publicSlugs.funded]);
		expect(await slugs('near=45.44,4.39&radius_km=5')).toEqual([publicSlugs.garden]);
		expect(await slugs('q=jardins%20partages')).toEqual([publicSlugs.garden]);
		expect(await slugs('q=visible')).toEqual(
			[publicSlugs.started, publicSlugs.completed, publicSlugs.funded, publicSlugs.notFunded].sort()
		);
		const closest = (await call(listProjects, '/api/v1/projects?near=45.44,4.39&sort=closest')).body;
		expect(closest.data[0].slug).toBe(publicSlugs.garden);
		expect(closest.data[closest.data.length - 1].slug).toBe(publicSlugs.noPoint);
	});

	it('sorts newest first by default and accepts every documented sort', async () => {
		const { body } = await call(listProjects, '/api/v1/projects');
		const dates = body.data.map((p: Body) => Date.parse(p.published_at));
		expect(dates).toEqual([...dates].sort((a, b) => b - a));
		for (const sort of projectSorts) {
			const extra = sort === 'closest' ? '&near=45.44,4.39' : '';
			const { res, body: sorted } = await call(listProjects, `/api/v1/projects?sort=${sort}${extra}`);
			expect(res.status).toBe(200);
			expect(slugsOf(sorted)).toEqual(Object.values(publicSlugs).sort());
		}
	});

	it('paginates with page, per_page and the total', async () => {
		const page = async (n: number) =>
			(await call(listProjects, `/api/v1/projects?per_page=3&page=${n}`)).body;
		const [p1, p2, p3, p4] = [await page(1), await page(2), await page(3), await page(4)];
		expect(p1.meta).toEqual({ page: 1, per_page: 3, total: 7, capped: false });
		expect(p3.meta).toEqual({ page: 3, per_page: 3, total: 7, capped: false });
		expect([p1.data.length, p2.data.length, p3.data.length, p4.data.length]).toEqual([3, 3, 1, 0]);
		const seen = [...p1.data, ...p2.data, ...p3.data].map((p: Body) => p.slug);
		expect(new Set(seen).size).toBe(7);
		expect(seen.sort()).toEqual(Object.values(publicSlugs).sort());
		const max = (await call(listProjects, '/api/v1/projects?per_page=100')).body;
		expect(max.meta.per_page).toBe(100);
	});

	it.each([
		['per_page=500', 'per_page'],
		['per_page=0', 'per_page'],
		['per_page=abc', 'per_page'],
		['page=0', 'page'],
		['page=1.5', 'page'],
		['page=1&page=2', 'page'],
		['near=abc', 'near'],
		['near=91,4', 'near'],
		['near=45.4', 'near'],
		['need=food', 'need'],
		['status=nope', 'status'],
		['status=draft', 'status'],
		['status=declined', 'status'],
		['sort=random', 'sort'],
		['sort=closest', 'sort'],
		['radius_km=5', 'radius_km'],
		['near=45,4&radius_km=-1', 'radius_km'],
		['near=45,4&radius_km=abc', 'radius_km'],
		['lang=de', 'lang'],
		[`q=${'a'.repeat(201)}`, 'q'],
		[`territory=${'t'.repeat(81)}`, 'territory']
	])('refuses %s with a 400 naming %s', async (query, parameter) => {
		for (const handler of [listProjects, geojson]) {
			const path = handler === listProjects ? '/api/v1/projects' : '/api/v1/projects.geojson';
			const { res, body } = await call(handler, `${path}?${query}`);
			expectError(res, body, 400, 'invalid_parameter');
			expect(body.error.parameter).toBe(parameter);
			expect(body.error.message).toContain(parameter);
		}
	});

	it('treats odd search text as text, never as an error', async () => {
		for (const q of ["'", '&|!:*()', 'de la', '<script>', '%00', '   ']) {
			const { res, body } = await call(listProjects, `/api/v1/projects?q=${encodeURIComponent(q)}`);
			expect(res.status).toBe(200);
			expect(Array.isArray(body.data)).toBe(true);
		}
	});
});

describe('GET /api/v1/projects/{slug}', () => {
	it('returns a public project with its story, stages and carrier, in the documented shape', async () => {
		const { res, body } = await detail(publicSlugs.garden);
		expectSuccessHeaders(res);
		expect(validate(doc, responseSchema('/projects/{slug}', '200'), body)).toEqual([]);
		expect(body.data).toMatchObject({
			slug: publicSlugs.garden,
			description: '## Notre jardin\n\nNous cultivons **ensemble**.',
			stages: [
				{
					id: stageId,
					name: 'Semis',
					description: 'Premiers semis',
					starts_on: '2027-03-01',
					ends_on: '2027-04-01'
				}
			],
			carrier: { legal_form: 'association', name: 'Les Amis du Jardin' },
			territory: { slug: 'saint-etienne', name: 'Saint-Étienne' }
		});
		expect(body.data.needs.find((n: Body) => n.kind === 'money').stage).toBe(stageId);
		const listed = (await call(listProjects, '/api/v1/projects?theme=food')).body.data[0];
		for (const key of Object.keys(listed)) expect(body.data[key]).toEqual(listed[key]);
	});

	it('answers in English when asked', async () => {
		const { body } = await detail(publicSlugs.garden, '?lang=en');
		expect(body.data.themes).toEqual([{ slug: 'food', name: 'Food' }]);
		const { body: viaHeader } = await detail(publicSlugs.bikes, '', { 'accept-language': 'en' });
		expect(viaHeader.data.territory.name).toBe('Lyons');
	});

	it('answers 404 not_found for an unknown slug, and 400 for a bad lang', async () => {
		const missing = await detail('nothing-here');
		expectError(missing.res, missing.body, 404, 'not_found');
		const weird = await detail("../'; DROP TABLE projects; --");
		expectError(weird.res, weird.body, 404, 'not_found');
		const badLang = await detail(publicSlugs.garden, '?lang=xx');
		expectError(badLang.res, badLang.body, 400, 'invalid_parameter');
		expect(badLang.body.error.parameter).toBe('lang');
	});

	it('shows the later public states', async () => {
		for (const key of ['started', 'completed', 'funded', 'notFunded']) {
			const { res, body } = await detail(publicSlugs[key]);
			expect(res.status).toBe(200);
			expect(body.data.status).toBe(
				{ started: 'in_progress', completed: 'completed', funded: 'funded', notFunded: 'not_funded' }[key]
			);
		}
	});
});

describe('projects that are not public never leak', () => {
	it('has hidden projects in every non-public state (the fixtures are real)', async () => {
		const { rows } = await db().execute<{ slug: string; status: string; future: boolean }>(
			sql`SELECT slug, status, coalesce(published_at > now(), false) AS future FROM projects`
		);
		const bySlug = Object.fromEntries(rows.map((r) => [r.slug, r]));
		expect(bySlug[hiddenSlugs.draft].status).toBe('draft');
		expect(bySlug[hiddenSlugs.submitted].status).toBe('submitted');
		expect(bySlug[hiddenSlugs.changes].status).toBe('changes_requested');
		expect(bySlug[hiddenSlugs.declined].status).toBe('declined');
		expect(bySlug[hiddenSlugs.cancelled].status).toBe('cancelled');
		expect(bySlug[hiddenSlugs.scheduled]).toMatchObject({ status: 'published', future: true });
		expect(bySlug[hiddenSlugs.futureForced]).toMatchObject({ status: 'published', future: true });
	});

	it('not through the list, whatever the filters', async () => {
		const hidden = Object.values(hiddenSlugs);
		for (const query of [
			'per_page=100',
			'q=clandestin',
			'territory=saint-etienne',
			'territory=loire',
			'need=volunteers&per_page=100',
			'near=45.441,4.389&radius_km=0.3',
			'near=45.441,4.389&sort=closest',
			'status=published',
			'sort=ending_soon&per_page=100'
		]) {
			const { body } = await call(listProjects, `/api/v1/projects?${query}`);
			expect(
				slugsOf(body).filter((s) => hidden.includes(s)),
				query
			).toEqual([]);
			expect(JSON.stringify(body), query).not.toMatch(/clandestin/i);
		}
		expect((await call(listProjects, '/api/v1/projects?q=clandestin')).body.meta.total).toBe(0);
		expect(
			(await call(listProjects, '/api/v1/projects?near=45.441,4.389&radius_km=0.3')).body.meta.total
		).toBe(0);
	});

	it('not through the detail', async () => {
		for (const [state, slug] of Object.entries(hiddenSlugs)) {
			const { res, body } = await detail(slug);
			expect(res.status, state).toBe(404);
			expect(body.error.code).toBe('not_found');
			expect(JSON.stringify(body)).not.toMatch(/clandestin/i);
		}
	});

	it('not through GeoJSON', async () => {
		for (const query of [
			'',
			'?q=clandestin',
			'?territory=saint-etienne',
			'?near=45.441,4.389&radius_km=0.3'
		]) {
			const { body } = await call(geojson, `/api/v1/projects.geojson${query}`);
			const slugs = body.features.map((f: Body) => f.properties.slug);
			expect(
				slugs.filter((s: string) => Object.values(hiddenSlugs).includes(s)),
				query
			).toEqual([]);
			expect(JSON.stringify(body)).not.toMatch(/clandestin/i);
		}
	});

	it('disappears at once when a public project is cancelled', async () => {
		const p = await buildProject(owner, (await buildTerritory()).id, {
			title: 'Éphémère à annuler',
			lat: '10',
			lng: '10'
		} as never);
		await publishProject(owner, admin, p.id);
		expect((await detail(p.slug)).res.status).toBe(200);
		expect(slugsOf((await call(listProjects, '/api/v1/projects?q=ephemere')).body)).toEqual([p.slug]);
		await cancelProject(admin, p.id, 'Fin.');
		expect((await detail(p.slug)).res.status).toBe(404);
		expect((await call(listProjects, '/api/v1/projects?q=ephemere')).body.meta.total).toBe(0);
		const features = (await call(geojson, '/api/v1/projects.geojson')).body.features;
		expect(features.map((f: Body) => f.properties.slug)).not.toContain(p.slug);
	});
});

describe('GET /api/v1/projects.geojson', () => {
	it('is a valid RFC 7946 FeatureCollection of the located public projects', async () => {
		const { res, body } = await call(geojson, '/api/v1/projects.geojson');
		expectSuccessHeaders(res, 'application/geo+json');
		expect(validate(doc, responseSchema('/projects.geojson', '200', 'application/geo+json'), body)).toEqual(
			[]
		);
		expect(body.type).toBe('FeatureCollection');
		expect(Array.isArray(body.features)).toBe(true);
		for (const f of body.features) {
			expect(f.type).toBe('Feature');
			expect(f.geometry.type).toBe('Point');
			const [lng, lat] = f.geometry.coordinates;
			expect(f.geometry.coordinates).toHaveLength(2);
			expect(Number.isFinite(lng) && Number.isFinite(lat)).toBe(true);
			expect(lng).toBeGreaterThanOrEqual(-180);
			expect(lng).toBeLessThanOrEqual(180);
			expect(lat).toBeGreaterThanOrEqual(-90);
			expect(lat).toBeLessThanOrEqual(90);
			expect(Object.keys(f.properties).sort()).toEqual(['slug', 'status', 'territory', 'title', 'url']);
		}
		const slugs = body.features.map((f: Body) => f.properties.slug).sort();
		const located = Object.entries(publicSlugs).filter(([k]) => k !== 'noPoint');
		expect(slugs).toEqual(located.map(([, s]) => s).sort());
	});

	it('puts longitude first and carries the project properties', async () => {
		const { body } = await call(geojson, '/api/v1/projects.geojson?theme=food&lang=en');
		expect(body.features).toEqual([
			{
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [4.3795, 45.4425] },
				properties: {
					slug: publicSlugs.garden,
					title: 'Jardin partagé des Tanneurs',
					status: 'published',
					url: `${config().publicUrl}/projects/${publicSlugs.garden}`,
					territory: { slug: 'saint-etienne', name: 'Saint-Etienne city' }
				}
			}
		]);
	});

	it('applies the same filters as the list', async () => {
		const slugs = async (query: string) =>
			(await call(geojson, `/api/v1/projects.geojson?${query}`)).body.features
				.map((f: Body) => f.properties.slug)
				.sort();
		expect(await slugs('theme=mobility')).toEqual([publicSlugs.bikes]);
		expect(await slugs('territory=loire')).toEqual([publicSlugs.garden]);
		expect(await slugs('status=funded')).toEqual([publicSlugs.funded]);
		expect(await slugs('near=45.44,4.39&radius_km=5')).toEqual([publicSlugs.garden]);
		expect(await slugs('q=zzzqqq')).toEqual([]);
	});
});

describe('GET /api/v1/territories and /api/v1/themes', () => {
	it('lists live territories with parent slugs and centres', async () => {
		const { res, body } = await call(listTerritories, '/api/v1/territories');
		expectSuccessHeaders(res);
		expect(validate(doc, responseSchema('/territories', '200'), body)).toEqual([]);
		const bySlug = Object.fromEntries(body.data.map((t: Body) => [t.slug, t]));
		expect(bySlug.loire).toEqual({
			slug: 'loire',
			kind: 'region',
			name_fr: 'Loire',
			name_en: 'Loire (department)',
			parent: null,
			center: null
		});
		expect(bySlug['saint-etienne']).toEqual({
			slug: 'saint-etienne',
			kind: 'city',
			name_fr: 'Saint-Étienne',
			name_en: 'Saint-Etienne city',
			parent: 'loire',
			center: { lat: 45.44, lng: 4.39 }
		});
		expect(bySlug['ancienne-commune']).toBeUndefined();
		expect(bySlug['quartier-orphelin'].parent).toBeNull();
		const slugs = body.data.map((t: Body) => t.slug);
		expect(slugs.indexOf('loire')).toBeLessThan(slugs.indexOf('saint-etienne'));
	});

	it('lists themes in order with both names', async () => {
		const { res, body } = await call(listThemes, '/api/v1/themes');
		expectSuccessHeaders(res);
		expect(validate(doc, responseSchema('/themes', '200'), body)).toEqual([]);
		expect(body.data.length).toBe(11);
		expect(body.data[0]).toEqual({ slug: 'housing', name_fr: 'Habitat', name_en: 'Housing' });
		expect(body.data.find((t: Body) => t.slug === 'repair-diy')).toEqual({
			slug: 'repair-diy',
			name_fr: 'Réparation et bricolage',
			name_en: 'Repair & DIY'
		});
	});
});

describe('GET /api/v1/openapi.json', () => {
	it('serves a structurally valid OpenAPI 3.1.0 document', async () => {
		const { res, body } = await call(openapi, '/api/v1/openapi.json');
		expectSuccessHeaders(res);
		expect(body.openapi).toBe('3.1.0');
		expect(body.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
		expect(body.servers[0].url).toBe(`${config().publicUrl}/api/v1`);
		expect(checkOpenApi(body)).toEqual([]);
		expect(Object.keys(body.paths).sort()).toEqual(
			[
				'/openapi.json',
				'/projects',
				'/projects.geojson',
				'/projects/{slug}',
				'/territories',
				'/themes'
			].sort()
		);
		for (const [path, item] of Object.entries(body.paths as Body)) {
			expect(Object.keys(item), path).toEqual(['get']);
			expect(item.get.responses['200'], path).toBeDefined();
		}
	});

	it('documents every filter with the enumerations the code enforces', async () => {
		const params = (path: string) =>
			doc.paths[path].get.parameters.map((p: Body) => doc.components.parameters[p.$ref.split('/').pop()]);
		const names = (path: string) =>
			params(path)
				.map((p: Body) => p.name)
				.sort();
		expect(names('/projects')).toEqual([...filterParameters, 'lang'].sort());
		expect(names('/projects.geojson')).toEqual(
			[...filterParameters.filter((n) => n !== 'page' && n !== 'per_page'), 'lang'].sort()
		);
		const schemaOf = (name: string) => doc.components.parameters[name].schema;
		expect(schemaOf('need').enum).toEqual([...needKinds]);
		expect(schemaOf('status').enum).toEqual([...publicStatuses]);
		expect(schemaOf('sort').enum).toEqual([...projectSorts]);
		expect(schemaOf('per_page').maximum).toBe(100);
		expect(doc.paths['/projects'].get.responses['400']).toEqual({
			$ref: '#/components/responses/BadRequest'
		});
		expect(doc.paths['/projects/{slug}'].get.responses['404']).toEqual({
			$ref: '#/components/responses/NotFound'
		});
	});

	it('has a checker that really catches broken documents', () => {
		const broken = structuredClone(doc) as Body;
		broken.openapi = '3.0.3';
		broken.paths['/projects/{slug}'].get.parameters = [{ $ref: '#/components/parameters/lang' }];
		broken.paths['/themes'].get.responses['200'].content['application/json'].schema = {
			$ref: '#/components/schemas/Nope'
		};
		broken.paths['/territories'].get.responses = {};
		const problems = checkOpenApi(broken).join('\n');
		expect(problems).toContain('expected 3.1.0');
		expect(problems).toContain('path parameter {slug} is not declared');
		expect(problems).toContain('#/components/schemas/Nope does not resolve');
		expect(problems).toContain('GET /territories: no responses');
		expect(validate(doc, { $ref: '#/components/schemas/Location' }, { lat: 100, lng: 0 })).toEqual([
			'$.lat: above 90'
		]);
		expect(validate(doc, { $ref: '#/components/schemas/Theme' }, { slug: 'x', name_fr: 'x' })).toEqual([
			'$: missing name_en'
		]);
	});
});

describe('unknown API addresses', () => {
	it('answer a JSON 404', async () => {
		const { res, body } = await call(unknownEndpoint, '/api/v1/nope', { params: { path: 'nope' } });
		expectError(res, body, 404, 'not_found');
	});
});
