import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
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
import { flushMail } from '../../../../tests/factories/mail';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import type { Actor } from '../accounts';
import {
	createProject,
	updateProject,
	addStage,
	searchProjects,
	getProjectPage,
	projectHistory,
	cancelProject,
	startProject,
	completeProject,
	listMyProjects,
	inviteEditor,
	acceptInvitation
} from './index';
import { addNeed, updateNeed, deleteNeed, addShift, updateShift, deleteShift } from '../needs';
import { submitProject, reviewProject, reviewQueue } from '../moderation';
import { projectFiltersSchema } from '$lib/shared/projects/schemas';
import { shifts } from '../needs/schema';

useTestDatabase();

async function code(p: Promise<unknown>): Promise<string> {
	const e = await p.then(
		() => null,
		(err) => err
	);
	if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${e}`);
	return e.code;
}

let region: { id: string };
let city: { id: string };
let other: { id: string };
let owner: Actor;
let stranger: Actor;
let moderator: Actor;
let otherModerator: Actor;
let admin: Actor;

beforeAll(async () => {
	region = await buildTerritory({ slug: 'loire', kind: 'region' });
	city = await buildTerritory({ slug: 'saint-etienne', parentId: region.id, lat: 45.44, lng: 4.39 });
	other = await buildTerritory({ slug: 'toulouse', lat: 43.6, lng: 1.44 });
	owner = (await buildUser({ email: 'owner@example.org' })).actor;
	stranger = (await buildUser()).actor;
	moderator = (await buildUser({ moderates: [region.id], email: 'mod@example.org' })).actor;
	otherModerator = (await buildUser({ moderates: [other.id] })).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
});

const filters = (f: Record<string, string> = {}) => projectFiltersSchema.parse(f);

describe('projects lifecycle', () => {
	it('goes draft → submitted → changes requested → submitted → published, recording every move', async () => {
		const p = await buildProject(owner, city.id, { title: 'Atelier de réparation de vélos' });
		expect(p.status).toBe('draft');
		expect(p.slug).toBe('atelier-de-reparation-de-velos');
		await addStage(owner, p.id, { name: 'Trouver un local', startsOn: '2027-01-01', endsOn: '2027-02-01' });

		// Incomplete answers are refused, with a field per missing criterion.
		expect(await code(submitProject(owner, p.id, { answers: {} }))).toBe('validation');
		expect(await code(submitProject(stranger, p.id, { answers: await allYes() }))).toBe('forbidden');
		await submitProject(owner, p.id, { answers: await allYes() });

		// Editing is frozen while under review.
		expect(
			await code(
				addNeed(owner, p.id, {
					kind: 'expertise',
					title: 'Compta',
					skill: 'comptabilité',
					hours: '3',
					stageId: ''
				} as never)
			)
		).toBe('conflict');

		// Only moderators of the territory or an ancestor (or admins) see and decide.
		expect((await reviewQueue(moderator)).map((r) => r.id)).toContain(p.id);
		expect((await reviewQueue(otherModerator)).map((r) => r.id)).not.toContain(p.id);
		expect(await reviewQueue(stranger)).toEqual([]);
		expect(
			await code(reviewProject(otherModerator, p.id, { decision: 'approve', judgements: await allPass() }))
		).toBe('forbidden');
		expect(await code(reviewProject(null, p.id, { decision: 'approve', judgements: await allPass() }))).toBe(
			'unauthenticated'
		);
		expect(
			await code(
				reviewProject(moderator, p.id, {
					decision: 'request_changes',
					message: '',
					judgements: await allPass()
				})
			)
		).toBe('validation');

		await reviewProject(moderator, p.id, {
			decision: 'request_changes',
			message: 'Précisez le lieu.',
			judgements: await allPass()
		});
		await updateProject(owner, p.id, {
			title: 'Atelier de réparation de vélos',
			summary: 'Réparer ensemble.',
			territoryId: city.id,
			themes: [],
			address: '12 rue des Tanneurs',
			lat: '45.44',
			lng: '4.38'
		} as never);
		await submitProject(owner, p.id, { answers: await allYes() });
		await reviewProject(moderator, p.id, { decision: 'approve', judgements: await allPass() });

		const history = await projectHistory(p.id);
		expect(history.map((h) => `${h.fromStatus ?? ''}>${h.toStatus}`)).toEqual([
			'>draft',
			'draft>submitted',
			'submitted>changes_requested',
			'changes_requested>submitted',
			'submitted>published'
		]);
		expect(history[2].reason).toBe('Précisez le lieu.');

		const mails = await flushMail();
		expect(mails.filter((m) => m.to === 'owner@example.org').map((m) => m.subject)).toEqual(
			expect.arrayContaining([expect.stringContaining('modifications'), expect.stringContaining('publié')])
		);

		// Published: the team moves it forward.
		await startProject(owner, p.id);
		await completeProject(owner, p.id, 'Trente vélos réparés.');
		expect(await code(cancelProject(owner, p.id, 'trop tard'))).toBe('conflict');
	});

	it('publishes on a chosen date: not visible before', async () => {
		const p = await buildProject(owner, city.id, { title: 'Fête de quartier programmée' });
		await submitProject(owner, p.id, { answers: await allYes() });
		const inTenDays = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
		await reviewProject(admin, p.id, {
			decision: 'approve',
			publishOn: inTenDays,
			judgements: await allPass()
		});
		expect(await code(getProjectPage(null, p.slug))).toBe('not_found');
		expect((await getProjectPage(owner, p.slug)).project.status).toBe('published');
	});

	it('declines with a reason; declined and draft projects never leak', async () => {
		const declined = await buildProject(owner, city.id, { title: 'Projet refusé secret' });
		await submitProject(owner, declined.id, { answers: await allYes() });
		await reviewProject(moderator, declined.id, {
			decision: 'decline',
			message: 'Hors critères.',
			judgements: await allPass()
		});
		const draft = await buildProject(owner, city.id, { title: 'Brouillon secret' });
		const result = await searchProjects(filters({ q: 'secret' }));
		expect(result.total).toBe(0);
		expect(await code(getProjectPage(null, declined.slug))).toBe('not_found');
		expect(await code(getProjectPage(stranger, draft.slug))).toBe('not_found');
		expect((await getProjectPage(moderator, draft.slug)).project.title).toBe('Brouillon secret');
		expect(await code(submitProject(owner, declined.id, { answers: await allYes() }))).toBe('conflict');
	});

	it('refuses the wrong people on every team command', async () => {
		const p = await buildProject(owner, city.id, { title: 'Projet protégé' });
		expect(
			await code(
				updateProject(stranger, p.id, { title: 'Piraté', territoryId: city.id, themes: [] } as never)
			)
		).toBe('forbidden');
		expect(
			await code(updateProject(null, p.id, { title: 'Piraté', territoryId: city.id, themes: [] } as never))
		).toBe('unauthenticated');
		expect(await code(addStage(stranger, p.id, { name: 'x' } as never))).toBe('forbidden');
		expect(
			await code(addNeed(stranger, p.id, { kind: 'expertise', title: 'x', skill: 'x', hours: '1' } as never))
		).toBe('forbidden');
		expect(await code(cancelProject(stranger, p.id, 'non'))).toBe('forbidden');
		expect(
			await code(createProject(null, { title: 'Anonyme', territoryId: city.id, themes: [] } as never))
		).toBe('unauthenticated');
		expect(await code(inviteEditor(stranger, p.id, 'a@example.org'))).toBe('forbidden');
	});

	it('invites an editor by e-mail who can then edit', async () => {
		const p = await buildProject(owner, city.id, { title: 'Projet en équipe' });
		const { actor: editor } = await buildUser({ email: 'editor@example.org' });
		await inviteEditor(owner, p.id, 'Editor@Example.org');
		const mail = (await flushMail()).find((m) => m.to === 'editor@example.org')!;
		const token = mail.text.match(/invitations\/([A-Za-z0-9_-]+)/)![1];
		expect(await acceptInvitation(editor, token)).toBe(p.slug);
		await addStage(editor, p.id, { name: 'Étape de l’éditrice', startsOn: '', endsOn: '' });
		expect((await listMyProjects(editor)).map((x) => x.id)).toContain(p.id);
		expect(await code(acceptInvitation(editor, token))).toBe('invalid_token');
	});
});

describe('needs keep their promises once published', () => {
	it('never lowers a shift below its sign-ups, never changes a money goal', async () => {
		const p = await buildProject(owner, city.id, { title: 'Chantier participatif' });
		const vol = await addNeed(owner, p.id, {
			kind: 'volunteers',
			title: 'Équipe chantier',
			role: 'Maçon',
			skills: 'maçonnerie, peinture',
			stageId: ''
		} as never);
		const shift = await addShift(owner, p.id, vol.id, {
			date: '2027-05-01',
			startTime: '09:00',
			endTime: '12:00',
			place: 'Cour',
			capacity: '5'
		});
		const money = await addNeed(owner, p.id, {
			kind: 'money',
			title: 'Matériaux',
			goalMinor: '1 500,00',
			currency: 'EUR',
			campaignModel: 'all_or_nothing',
			deadline: '2027-04-30',
			stageId: ''
		} as never);
		expect(money.goalMinor).toBe(150000);
		const planks = await addNeed(owner, p.id, {
			kind: 'material',
			title: 'Planches',
			quantity: '10',
			unit: 'planches',
			materialMode: 'lend',
			returnBy: '2027-06-01',
			dropoff: 'Atelier',
			stageId: ''
		} as never);
		await publishProject(owner, moderator, p.id);

		await db().update(shifts).set({ taken: 3 }).where(eq(shifts.id, shift.id));
		const e = await updateShift(owner, p.id, vol.id, shift.id, {
			date: '2027-05-01',
			startTime: '09:00',
			endTime: '12:00',
			place: 'Cour',
			capacity: '2'
		}).catch((x) => x);
		expect((e as AppError).fields.capacity).toBe('needs_error_capacity_below_signups');
		await updateShift(owner, p.id, vol.id, shift.id, {
			date: '2027-05-01',
			startTime: '09:00',
			endTime: '12:00',
			place: 'Cour',
			capacity: '3'
		});
		expect(await code(deleteShift(owner, p.id, vol.id, shift.id))).toBe('conflict');

		const e2 = await updateNeed(owner, p.id, money.id, {
			kind: 'money',
			title: 'Matériaux',
			goalMinor: '1000',
			currency: 'EUR',
			campaignModel: 'all_or_nothing',
			deadline: '2027-04-30'
		} as never).catch((x) => x);
		expect((e2 as AppError).fields.goalMinor).toBe('needs_error_locked_after_publish');
		expect(await code(deleteNeed(owner, p.id, money.id))).toBe('conflict');

		await db().execute(sql`UPDATE needs SET fulfilled = 6 WHERE id = ${planks.id}`);
		const e3 = await updateNeed(owner, p.id, planks.id, {
			kind: 'material',
			title: 'Planches',
			quantity: '5',
			materialMode: 'give'
		} as never).catch((x) => x);
		expect((e3 as AppError).fields.quantity).toBe('needs_error_below_pledged');

		// Adding a new need after publication is fine.
		await addNeed(owner, p.id, {
			kind: 'expertise',
			title: 'Conseil juridique',
			skill: 'droit',
			hours: '4'
		} as never);
		const page = await getProjectPage(null, p.slug);
		const byKind = Object.fromEntries(page.project.needs.map((n) => [n.title, n]));
		expect(byKind['Équipe chantier']).toMatchObject({ kind: 'volunteers', target: 3, fulfilled: 3 });
		expect(byKind['Planches']).toMatchObject({
			kind: 'material',
			target: 10,
			fulfilled: 6,
			unit: 'planches'
		});
		expect(byKind['Matériaux']).toMatchObject({ kind: 'money', target: 150000, currency: 'EUR' });
		expect(byKind['Conseil juridique']).toMatchObject({ kind: 'expertise', target: 4, unit: 'hours' });
	});
});

describe('discovery', () => {
	let bikes: { slug: string; id: string };
	beforeAll(async () => {
		const themes = await db().execute<{ id: string; slug: string }>(sql`SELECT id, slug FROM themes`);
		const theme = (slug: string) => themes.rows.find((t) => t.slug === slug)!.id;
		const garden = await buildProject(owner, city.id, {
			title: 'Jardin partagé des Tanneurs',
			themes: [theme('food')],
			lat: '45.4425',
			lng: '4.3795'
		} as never);
		bikes = await buildProject(owner, city.id, {
			title: 'Atelier de réparation de vélos',
			themes: [theme('repair-diy'), theme('mobility')],
			lat: '45.44',
			lng: '4.39',
			endsOn: '2027-04-01'
		} as never);
		const far = await buildProject(owner, other.id, {
			title: 'Repair café for bikes',
			summary: 'Fixing bicycles together',
			lat: '43.6',
			lng: '1.44',
			endsOn: '2027-12-01'
		} as never);
		for (const p of [garden, bikes, far]) await publishProject(owner, admin, p.id);
		await addNeed(owner, far.id, {
			kind: 'money',
			title: 'Outils',
			goalMinor: '300',
			currency: 'EUR',
			campaignModel: 'keep_it_all',
			deadline: '2027-02-01'
		} as never);
	});

	it('finds accented and plural French words without accents, and English stems', async () => {
		const titles = async (q: string) => (await searchProjects(filters({ q }))).rows.map((r) => r.title);
		expect(await titles('jardins partagés')).toContain('Jardin partagé des Tanneurs');
		expect(await titles('reparation velo')).toContain('Atelier de réparation de vélos');
		expect(await titles('RÉPARATIONS de vélos')).toContain('Atelier de réparation de vélos');
		expect(await titles('bike repairs')).toContain('Repair café for bikes');
		expect(await titles('bicycle')).toContain('Repair café for bikes');
		expect(await titles('jardin')).not.toContain('Repair café for bikes');
		expect(await titles('zzzqqq')).toEqual([]);
	});

	it('filters by territory with descendants, theme, need kind, status and distance', async () => {
		const slugs = async (f: Record<string, string>) =>
			(await searchProjects(filters(f))).rows.map((r) => r.slug);
		expect(await slugs({ territory: 'loire' })).toContain(bikes.slug);
		expect(await slugs({ territory: 'toulouse' })).not.toContain(bikes.slug);
		expect(await slugs({ theme: 'mobility' })).toEqual([bikes.slug]);
		expect(await slugs({ need: 'money' })).toContain('repair-cafe-for-bikes');
		expect(await slugs({ need: 'money' })).not.toContain(bikes.slug);
		expect(await slugs({ need: 'volunteers', territory: 'toulouse' })).toEqual(['repair-cafe-for-bikes']);
		expect((await slugs({ status: 'draft' })).length).toBe(0);
		const near = await searchProjects(filters({ near: '45.44,4.39', radius_km: '5', sort: 'closest' }));
		expect(near.rows.every((r) => r.distanceKm! <= 5)).toBe(true);
		expect(near.rows[0].slug).toBe(bikes.slug);
		expect(near.rows.map((r) => r.slug)).not.toContain('repair-cafe-for-bikes');
	});

	it('sorts by ending soon and paginates', async () => {
		const ending = await searchProjects(filters({ sort: 'ending_soon', territory: 'toulouse' }));
		expect(ending.rows[0].slug).toBe('repair-cafe-for-bikes');
		const page1 = await searchProjects(filters({ per_page: '1', page: '1' }));
		const page2 = await searchProjects(filters({ per_page: '1', page: '2' }));
		expect(page1.total).toBeGreaterThanOrEqual(3);
		expect(page1.rows[0].slug).not.toBe(page2.rows[0].slug);
	});

	it('shows forced states correctly (only public ones)', async () => {
		const p = await buildProject(owner, city.id, { title: 'Projet annulé visible nulle part' });
		await forceStatus(p.id, 'cancelled');
		expect((await searchProjects(filters({ q: 'annulé nulle' }))).total).toBe(0);
		await forceStatus(p.id, 'completed');
		expect((await searchProjects(filters({ q: 'annulé nulle' }))).total).toBe(1);
	});
});
