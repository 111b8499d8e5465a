import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import type { Actor } from '../accounts';
import { addNeed, addShift } from '../needs';
import { needs, shifts } from '../needs/schema';
import { contributions } from './schema';
import {
	signUpForShift,
	cancelSignup,
	markAttendance,
	pledgeMaterial,
	cancelPledge,
	markMaterial,
	offerExpertise,
	decideExpertise
} from './index';
import { getProjectPage } from '../projects';

useTestDatabase();

async function code(p: Promise<unknown>): Promise<string> {
	const e = await p.then(
		() => null,
		(err) => err
	);
	if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${e}`);
	return e.code;
}

let owner: Actor;
let moderator: Actor;
let stranger: Actor;
let projectId: string;
let slug: string;
let shiftId: string;
let chairsId: string;
let expertiseId: string;
const people: Actor[] = [];
const nextYear = `${new Date().getFullYear() + 1}`;

beforeAll(async () => {
	const t = await buildTerritory();
	owner = (await buildUser()).actor;
	moderator = (await buildUser({ isAdmin: true })).actor;
	stranger = (await buildUser()).actor;
	const p = await buildProject(owner, t.id, { title: 'Fête des voisins' });
	projectId = p.id;
	slug = p.slug;
	const vol = await addNeed(owner, p.id, {
		kind: 'volunteers',
		title: 'Installation',
		role: 'Montage',
		skills: ''
	} as never);
	shiftId = (
		await addShift(owner, p.id, vol.id, {
			date: `${nextYear}-06-01`,
			startTime: '09:00',
			endTime: '12:00',
			place: 'Cour',
			capacity: '3'
		})
	).id;
	chairsId = (
		await addNeed(owner, p.id, {
			kind: 'material',
			title: 'Chaises',
			quantity: '10',
			unit: 'chaises',
			materialMode: 'lend',
			returnBy: `${nextYear}-06-02`
		} as never)
	).id;
	expertiseId = (
		await addNeed(owner, p.id, { kind: 'expertise', title: 'Sono', skill: 'son', hours: '5' } as never)
	).id;
	await publishProject(owner, moderator, p.id);
	for (let i = 0; i < 50; i++) people.push((await buildUser()).actor);
});

describe('capacity is never oversold', () => {
	it('50 parallel sign-ups on a 3-place shift: exactly 3 accepted, 47 clear "full" answers', async () => {
		const results = await Promise.allSettled(people.map((p) => signUpForShift(p, shiftId)));
		const ok = results.filter((r) => r.status === 'fulfilled');
		const full = results.filter(
			(r) => r.status === 'rejected' && (r.reason as AppError).messageKey === 'contributions_error_shift_full'
		);
		expect(ok).toHaveLength(3);
		expect(full).toHaveLength(47);
		const [s] = await db().select().from(shifts).where(eq(shifts.id, shiftId));
		expect(s.taken).toBe(3);
		const rows = await db().select().from(contributions).where(eq(contributions.shiftId, shiftId));
		expect(rows).toHaveLength(3);
	});

	it('50 parallel pledges of one chair for 10: exactly 10', async () => {
		const results = await Promise.allSettled(
			people.map((p) =>
				pledgeMaterial(p, chairsId, { quantity: '1', materialMode: 'lend', returnBy: `${nextYear}-06-02` })
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
		const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
		expect(refused).toHaveLength(40);
		expect(
			refused.every((r) => (r.reason as AppError).fields.quantity === 'contributions_error_material_exceeds')
		).toBe(true);
		const [n] = await db().select().from(needs).where(eq(needs.id, chairsId));
		expect(n.fulfilled).toBe(10);
	});
});

describe('volunteers, material and expertise flows', () => {
	it('a volunteer cancels and frees the place; the team marks attendance and hours count', async () => {
		const [first] = await db().select().from(contributions).where(eq(contributions.shiftId, shiftId));
		const volunteer = people.find((p) => p.id === first.contributorId)!;
		expect(await code(cancelSignup(stranger, first.id))).toBe('forbidden');
		await cancelSignup(volunteer, first.id);
		expect((await db().select().from(shifts).where(eq(shifts.id, shiftId)))[0].taken).toBe(2);
		const again = await signUpForShift(stranger, shiftId);
		expect(await code(signUpForShift(stranger, shiftId))).toBe('conflict');
		expect(await code(markAttendance(stranger, again, true))).toBe('forbidden');
		// Not before the shift has begun; once it has, the team records who came.
		expect(await code(markAttendance(owner, again, true))).toBe('conflict');
		await db()
			.update(shifts)
			.set({ startsAt: new Date(Date.now() - 4 * 3600_000), endsAt: new Date(Date.now() - 3600_000) })
			.where(eq(shifts.id, shiftId));
		await markAttendance(owner, again, true);
		const [c] = await db().select().from(contributions).where(eq(contributions.id, again));
		expect(c.status).toBe('attended');
		expect(c.hoursCounted).toBe(3);
	});

	it('material: cancel frees items; received then returned for a loan', async () => {
		const [pledge] = await db().select().from(contributions).where(eq(contributions.needId, chairsId));
		const giver = people.find((p) => p.id === pledge.contributorId)!;
		await cancelPledge(giver, pledge.id);
		expect((await db().select().from(needs).where(eq(needs.id, chairsId)))[0].fulfilled).toBe(9);
		const id = await pledgeMaterial(stranger, chairsId, {
			quantity: '1',
			materialMode: 'lend',
			returnBy: `${nextYear}-06-02`
		});
		expect(await code(markMaterial(owner, id, 'returned'))).toBe('conflict');
		await markMaterial(owner, id, 'received');
		await markMaterial(owner, id, 'returned');
		expect((await db().select().from(contributions).where(eq(contributions.id, id)))[0].status).toBe(
			'returned'
		);
		expect(
			await code(pledgeMaterial(stranger, chairsId, { quantity: '1', materialMode: 'lend', returnBy: null }))
		).toBe('validation');
	});

	it('expertise: offer, decline frees hours, accept and deliver; progress shows on the page', async () => {
		const a = await offerExpertise(people[0], expertiseId, { hours: '3', message: 'Je suis ingé son' });
		expect(await code(offerExpertise(people[1], expertiseId, { hours: '3' }))).toBe('validation');
		await decideExpertise(owner, a, 'declined');
		const b = await offerExpertise(people[1], expertiseId, { hours: '3' });
		await decideExpertise(owner, b, 'accepted');
		await decideExpertise(owner, b, 'delivered');
		expect(await code(decideExpertise(stranger, b, 'delivered'))).toBe('forbidden');
		const page = await getProjectPage(null, slug);
		const byTitle = Object.fromEntries(page.project.needs.map((n) => [n.title, n]));
		expect(byTitle['Sono'].fulfilled).toBe(3);
		expect(byTitle['Chaises'].fulfilled).toBe(10);
		expect(byTitle['Installation'].fulfilled).toBe(3);
	});

	it('refuses contributions to projects that are not public, and anonymous people', async () => {
		const t = await buildTerritory();
		const draft = await buildProject(owner, t.id, { title: 'Brouillon' });
		const n = await addNeed(owner, draft.id, {
			kind: 'expertise',
			title: 'x',
			skill: 'x',
			hours: '2'
		} as never);
		expect(await code(offerExpertise(stranger, n.id, { hours: '1' }))).toBe('not_found');
		expect(await code(offerExpertise(null, expertiseId, { hours: '1' }))).toBe('unauthenticated');
		expect(projectId).toBeTruthy();
	});
});

describe('personal data', () => {
	it('"download my data" lists what the person gave', async () => {
		const { exportMyData } = await import('../accounts');
		const data = await exportMyData(stranger);
		const kinds = (data.contributions as { kind: string }[]).map((c) => c.kind);
		expect(kinds).toEqual(expect.arrayContaining(['volunteers', 'material']));
	});
});
