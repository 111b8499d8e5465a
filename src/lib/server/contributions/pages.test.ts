// The lists of contributions a page at a time: /me/contributions and the team's list, with a project
// that received more than a page (the CSV export keeps every row).
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import type { Actor } from '../accounts';
import { addNeed } from '../needs';
import {
	CONTRIBUTIONS_PAGE_SIZE,
	contributionsCsv,
	listMyContributions,
	listMyContributionsPage,
	projectContributions,
	projectContributionsPage
} from './index';
import { load as myLoad } from '../../../routes/(app)/me/contributions/+page.server';
import { load as teamLoad } from '../../../routes/(app)/projects/[slug]/manage/contributions/+page.server';

useTestDatabase();

const TOTAL = CONTRIBUTIONS_PAGE_SIZE * 2 + 7; // three pages
let owner: Actor;
let donor: Actor;
let stranger: Actor;
let projectId: string;
let slug: string;
let planksId: string;
let adviceId: string;

async function failure(p: Promise<unknown>): Promise<AppError> {
	const e = await p.then(
		() => null,
		(err) => err
	);
	if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${e}`);
	return e;
}

beforeAll(async () => {
	owner = (await buildUser()).actor;
	const admin = (await buildUser({ isAdmin: true })).actor;
	donor = (await buildUser({ displayName: 'Dora Donatrice' })).actor;
	stranger = (await buildUser()).actor;
	const t = await buildTerritory();
	const p = await buildProject(owner, t.id, { title: 'Jardin des pages' });
	projectId = p.id;
	slug = p.slug;
	planksId = (
		await addNeed(owner, p.id, {
			kind: 'material',
			title: 'Planches',
			quantity: '400',
			unit: 'planches',
			materialMode: 'give'
		} as never)
	).id;
	adviceId = (
		await addNeed(owner, p.id, {
			kind: 'expertise',
			title: 'Permaculture',
			skill: 'permaculture',
			hours: '6'
		} as never)
	).id;
	await publishProject(owner, admin, p.id);
	// Many pledges and offers by the donor, one hour apart (newest first: i = 1), in one statement.
	await db().execute(sql`
		INSERT INTO contributions (project_id, need_id, kind, contributor_id, status, quantity, material_mode, hours,
			created_at, updated_at)
		SELECT ${projectId}, CASE WHEN i % 2 = 0 THEN ${planksId}::uuid ELSE ${adviceId}::uuid END,
			CASE WHEN i % 2 = 0 THEN 'material' ELSE 'expertise' END, ${donor.id},
			CASE WHEN i % 2 = 0 THEN 'pledged' ELSE 'offered' END,
			CASE WHEN i % 2 = 0 THEN i END, CASE WHEN i % 2 = 0 THEN 'give' END, CASE WHEN i % 2 = 1 THEN 1 + i % 5 END,
			now() - make_interval(hours => i), now() - make_interval(hours => i)
		FROM generate_series(1, ${TOTAL}::int) AS i`);
});

describe('listMyContributionsPage', () => {
	it('gives the person their contributions a page at a time, newest first, with the total', async () => {
		const all = await listMyContributions(donor);
		expect(all).toHaveLength(TOTAL);
		const first = await listMyContributionsPage(donor);
		expect(first).toMatchObject({ total: TOTAL, page: 1, pageSize: CONTRIBUTIONS_PAGE_SIZE });
		expect(first.rows.map((r) => r.id)).toEqual(all.slice(0, CONTRIBUTIONS_PAGE_SIZE).map((r) => r.id));
		const second = await listMyContributionsPage(donor, { page: 2 });
		expect(second.rows.map((r) => r.id)).toEqual(
			all.slice(CONTRIBUTIONS_PAGE_SIZE, 2 * CONTRIBUTIONS_PAGE_SIZE).map((r) => r.id)
		);
		const last = await listMyContributionsPage(donor, { page: 3 });
		expect(last.rows).toHaveLength(TOTAL - 2 * CONTRIBUTIONS_PAGE_SIZE);
		// Every row is on exactly one page.
		const seen = [...first.rows, ...second.rows, ...last.rows].map((r) => r.id);
		expect(new Set(seen).size).toBe(TOTAL);
		expect(last.rows[0]).toMatchObject({ project: { slug }, need: { title: expect.any(String) } });
	});

	it('shows the last page past the end and the first for a page that is not a number', async () => {
		expect((await listMyContributionsPage(donor, { page: 100_000 })).page).toBe(3);
		for (const page of [0, -1, Number.NaN, 1.5]) {
			const r = await listMyContributionsPage(donor, { page });
			expect(r.page).toBe(1);
			expect(r.rows).toHaveLength(CONTRIBUTIONS_PAGE_SIZE);
		}
		// Nobody's contributions: an empty first page, not an error.
		expect(await listMyContributionsPage(stranger, { page: 4 })).toMatchObject({
			rows: [],
			total: 0,
			page: 1
		});
		expect((await failure(listMyContributionsPage(null))).code).toBe('unauthenticated');
	});

	it('/me/contributions loads one page and sends the list, not whole rows', async () => {
		const data = (await myLoad({
			locals: { actor: donor },
			url: new URL('http://x/me/contributions?page=2')
		} as never)) as Exclude<Awaited<ReturnType<typeof myLoad>>, void>;
		expect(data).toMatchObject({ total: TOTAL, page: 2, pageSize: CONTRIBUTIONS_PAGE_SIZE });
		expect(data.contributions).toHaveLength(CONTRIBUTIONS_PAGE_SIZE);
		const row = data.contributions[0];
		expect(row.project).toEqual({ slug, title: 'Jardin des pages' });
		expect(Object.keys(row)).not.toContain('updatedAt');
		expect(Object.keys(row.need)).toEqual(['title', 'unit']);
		const bad = (await myLoad({
			locals: { actor: donor },
			url: new URL('http://x/me/contributions?page=abc')
		} as never)) as Exclude<Awaited<ReturnType<typeof myLoad>>, void>;
		expect(bad.page).toBe(1);
	});
});

describe('projectContributionsPage', () => {
	it("gives the team a page of the list in the list's order, with the number matching the filters", async () => {
		const all = await projectContributions(owner, projectId);
		expect(all).toHaveLength(TOTAL);
		const pages = await Promise.all(
			[1, 2, 3].map((page) => projectContributionsPage(owner, projectId, {}, { page }))
		);
		expect(pages.map((p) => p.rows.length)).toEqual([
			CONTRIBUTIONS_PAGE_SIZE,
			CONTRIBUTIONS_PAGE_SIZE,
			TOTAL - 2 * CONTRIBUTIONS_PAGE_SIZE
		]);
		expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(all.map((r) => r.id));
		expect(pages.every((p) => p.total === TOTAL)).toBe(true);
		const material = await projectContributionsPage(owner, projectId, { kind: 'material' });
		expect(material.total).toBe(Math.floor(TOTAL / 2));
		expect(material.rows.every((r) => r.kind === 'material')).toBe(true);
		expect((await projectContributionsPage(owner, projectId, {}, { page: 99 })).page).toBe(3);
	});

	it('refuses people outside the team', async () => {
		expect((await failure(projectContributionsPage(null, projectId))).code).toBe('unauthenticated');
		expect((await failure(projectContributionsPage(stranger, projectId))).code).toBe('forbidden');
		expect((await failure(projectContributionsPage(donor, projectId))).code).toBe('forbidden');
	});

	it('the CSV export keeps every row', async () => {
		const csv = await contributionsCsv(owner, projectId, 'en');
		expect(csv.trimEnd().split('\r\n')).toHaveLength(TOTAL + 1);
	});

	it('the team page loads one page, keeping the filters', async () => {
		const data = (await teamLoad({
			params: { slug },
			locals: { actor: owner },
			url: new URL(`http://x/projects/${slug}/manage/contributions?kind=expertise&page=2`)
		} as never)) as Exclude<Awaited<ReturnType<typeof teamLoad>>, void>;
		expect(data).toMatchObject({
			total: Math.ceil(TOTAL / 2),
			page: 2,
			pageSize: CONTRIBUTIONS_PAGE_SIZE,
			filters: { kind: 'expertise' }
		});
		expect(data.rows).toHaveLength(Math.ceil(TOTAL / 2) - CONTRIBUTIONS_PAGE_SIZE);
		expect(data.rows.every((r: { kind: string }) => r.kind === 'expertise')).toBe(true);
	});
});
