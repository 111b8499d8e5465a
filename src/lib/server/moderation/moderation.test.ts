import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser, ctx } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, allYes, allPass } from '../../../../tests/factories/projects';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { auditLog } from '../platform/schema';
import { countModerators, type Actor } from '../accounts';
import { users } from '../accounts/schema';
import { getProjectPage, isPublic, searchProjects } from '../projects';
import { projects } from '../projects/schema';
import { projectFiltersSchema } from '$lib/shared/projects/schemas';
import { reviewFormSchema } from '$lib/shared/moderation/schemas';
import { reviews, reviewJudgements } from './schema';
import {
	DEFAULT_CRITERIA,
	listCriteria,
	listAllCriteria,
	getCriterion,
	createCriterion,
	updateCriterion,
	setCriterionArchived,
	moveCriterion,
	submitProject,
	reviewProject,
	reviewQueue,
	reviewMaterial
} from './index';

useTestDatabase();

/** The AppError thrown by `p` (fails the test when it resolves or throws something else). */
async function failure(p: Promise<unknown>): Promise<AppError> {
	const e = await p.then(
		() => null,
		(err) => err
	);
	if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${e}`);
	return e;
}
const code = async (p: Promise<unknown>) => (await failure(p)).code;

async function auditRows(action: string, targetId: string) {
	return db()
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));
}

let region: { id: string };
let city: { id: string };
let other: { id: string };
let owner: Actor;
let stranger: Actor;
let regionModerator: Actor;
let otherModerator: Actor;
let admin: Actor;

beforeAll(async () => {
	region = await buildTerritory({ slug: 'loire', kind: 'region' });
	city = await buildTerritory({ slug: 'saint-etienne', parentId: region.id });
	other = await buildTerritory({ slug: 'quebec', kind: 'region' });
	owner = (await buildUser({ email: 'owner@example.org' })).actor;
	stranger = (await buildUser()).actor;
	regionModerator = (await buildUser({ moderates: [region.id], displayName: 'Malik' })).actor;
	otherModerator = (await buildUser({ moderates: [other.id] })).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
});

const criterion = (slug: string) => ({
	slug,
	labelFr: `Critère ${slug}`,
	labelEn: `Criterion ${slug}`,
	helpFr: 'Aide.',
	helpEn: 'Help.'
});

describe('criteria administration', () => {
	it('starts with the default criteria, in order', async () => {
		expect((await listCriteria()).map((c) => c.slug)).toEqual(DEFAULT_CRITERIA.map((c) => c.slug));
	});

	it('creates a criterion at the end, asked of submissions from then on, with an audit row', async () => {
		const c = await createCriterion(admin, criterion('accessible'), ctx);
		expect(c.slug).toBe('accessible');
		const list = await listCriteria();
		expect(list.at(-1)?.id).toBe(c.id);
		expect(c.position).toBe(DEFAULT_CRITERIA.length);
		const [row] = await auditRows('criteria.created', c.id);
		expect(row).toMatchObject({ actorId: admin.id, targetType: 'criterion', ip: ctx.ip });

		// A submission must now answer it.
		const p = await buildProject(owner, city.id, { title: 'Projet après nouveau critère' });
		const answers = await allYes();
		delete answers[c.id];
		const e = await failure(submitProject(owner, p.id, { answers }));
		expect(e.fields).toEqual({ [`criterion_${c.id}`]: 'moderation_error_answer_required' });

		await setCriterionArchived(admin, c.id, true, ctx);
		await submitProject(owner, p.id, { answers });
	});

	it('refuses a slug already taken, on creation and on edit', async () => {
		const e = await failure(createCriterion(admin, criterion('time-limited'), ctx));
		expect(e.code).toBe('validation');
		expect(e.fields).toEqual({ slug: 'moderation_error_slug_taken' });
		const c = await createCriterion(admin, criterion('second-one'), ctx);
		const e2 = await failure(updateCriterion(admin, c.id, criterion('more-than-money'), ctx));
		expect(e2.fields).toEqual({ slug: 'moderation_error_slug_taken' });
		// Keeping its own slug is fine.
		await updateCriterion(admin, c.id, { ...criterion('second-one'), labelFr: 'Nouveau libellé' }, ctx);
		expect((await getCriterion(admin, c.id))?.labelFr).toBe('Nouveau libellé');
		await setCriterionArchived(admin, c.id, true, ctx);
	});

	it('edits, archives, restores and moves, each with an audit row', async () => {
		const c = await createCriterion(admin, criterion('to-move'), ctx);
		await updateCriterion(admin, c.id, { ...criterion('moved-around'), helpEn: 'New help.' }, ctx);
		expect(await getCriterion(admin, c.id)).toMatchObject({ slug: 'moved-around', helpEn: 'New help.' });
		const [updated] = await auditRows('criteria.updated', c.id);
		expect(updated.data).toEqual({ from: 'to-move', to: 'moved-around' });

		const before = (await listAllCriteria(admin)).map((x) => x.id);
		const index = before.indexOf(c.id);
		await moveCriterion(admin, c.id, 'up', ctx);
		const after = (await listAllCriteria(admin)).map((x) => x.id);
		expect(after.indexOf(c.id)).toBe(index - 1);
		expect((await listAllCriteria(admin)).map((x) => x.position)).toEqual(after.map((_, i) => i));
		expect(await auditRows('criteria.moved', c.id)).toHaveLength(1);
		// Moving the first one up changes nothing and writes nothing.
		await moveCriterion(admin, after[0], 'up', ctx);
		expect((await listAllCriteria(admin)).map((x) => x.id)).toEqual(after);
		expect(await auditRows('criteria.moved', after[0])).toHaveLength(0);

		await setCriterionArchived(admin, c.id, true, ctx);
		expect((await listCriteria()).map((x) => x.id)).not.toContain(c.id);
		expect((await listAllCriteria(admin)).find((x) => x.id === c.id)?.archivedAt).toBeInstanceOf(Date);
		await setCriterionArchived(admin, c.id, false, ctx);
		expect((await listCriteria()).map((x) => x.id)).toContain(c.id);
		expect(await auditRows('criteria.archived', c.id)).toHaveLength(1);
		expect(await auditRows('criteria.restored', c.id)).toHaveLength(1);
		await setCriterionArchived(admin, c.id, true, ctx);
	});

	it('answers not_found for an unknown criterion', async () => {
		const id = '00000000-0000-4000-8000-000000000000';
		expect(await code(updateCriterion(admin, id, criterion('ghost'), ctx))).toBe('not_found');
		expect(await code(setCriterionArchived(admin, id, true, ctx))).toBe('not_found');
		expect(await code(moveCriterion(admin, id, 'down', ctx))).toBe('not_found');
		expect(await getCriterion(admin, id)).toBeUndefined();
	});

	it('is for administrators only: unauthenticated without a session, forbidden otherwise', async () => {
		const [first] = await listCriteria();
		for (const [who, expected] of [
			[null, 'unauthenticated'],
			[regionModerator, 'forbidden'],
			[stranger, 'forbidden']
		] as const) {
			expect(await code(createCriterion(who, criterion('intruder'), ctx))).toBe(expected);
			expect(await code(updateCriterion(who, first.id, criterion('intruder'), ctx))).toBe(expected);
			expect(await code(setCriterionArchived(who, first.id, true, ctx))).toBe(expected);
			expect(await code(moveCriterion(who, first.id, 'down', ctx))).toBe(expected);
			expect(await code(listAllCriteria(who))).toBe(expected);
			expect(await code(getCriterion(who, first.id))).toBe(expected);
		}
		expect((await listAllCriteria(admin)).map((c) => c.slug)).not.toContain('intruder');
		expect(await listCriteria()).toEqual(expect.arrayContaining([first]));
	});
});

describe('review decisions', () => {
	async function submitted(title: string, territoryId = city.id) {
		const p = await buildProject(owner, territoryId, { title });
		await submitProject(owner, p.id, { answers: await allYes() });
		return p;
	}

	it('lets a moderator of an ancestor territory approve, with a judgement per criterion', async () => {
		const p = await submitted('Approuvé par la région');
		const judgements = await allPass();
		const [firstId] = Object.keys(judgements);
		judgements[firstId] = { passes: false, note: 'Dates à préciser.' };
		await reviewProject(regionModerator, p.id, { decision: 'approve', judgements });

		const page = await getProjectPage(null, p.slug);
		expect(page.project.status).toBe('published');
		const material = await reviewMaterial(p.id);
		expect(material.reviews).toHaveLength(1);
		expect(material.reviews[0]).toMatchObject({ decision: 'approve', moderatorName: 'Malik' });
		expect(material.reviews[0].judgements).toHaveLength((await listCriteria()).length);
		expect(material.reviews[0].judgements.find((j) => j.criterionId === firstId)).toMatchObject({
			passes: false,
			note: 'Dates à préciser.'
		});
		expect(await auditRows('moderation.approve', p.id)).toHaveLength(1);
	});

	it('lets a moderator of an ancestor request changes and decline, with a message', async () => {
		const p = await submitted('Modifications demandées');
		await reviewProject(regionModerator, p.id, {
			decision: 'request_changes',
			message: 'Précisez le budget.',
			judgements: await allPass()
		});
		expect((await getProjectPage(owner, p.slug)).project.status).toBe('changes_requested');
		await submitProject(owner, p.id, { answers: await allYes() });
		await reviewProject(regionModerator, p.id, {
			decision: 'decline',
			message: 'Hors critères.',
			judgements: await allPass()
		});
		expect((await getProjectPage(owner, p.slug)).project.status).toBe('declined');
		expect((await reviewMaterial(p.id)).reviews.map((r) => r.decision)).toEqual([
			'decline',
			'request_changes'
		]);
		// Decided: no second decision.
		expect(
			await code(reviewProject(regionModerator, p.id, { decision: 'approve', judgements: await allPass() }))
		).toBe('conflict');
	});

	it('refuses a moderator of another territory, and people without a role', async () => {
		const p = await submitted('Pas pour le Québec');
		const input = { decision: 'approve' as const, judgements: await allPass() };
		expect(await code(reviewProject(otherModerator, p.id, input))).toBe('forbidden');
		expect(await code(reviewProject(stranger, p.id, input))).toBe('forbidden');
		expect(await code(reviewProject(owner, p.id, input))).toBe('forbidden');
		expect(await code(reviewProject(null, p.id, input))).toBe('unauthenticated');
		expect(await db().select().from(reviews).where(eq(reviews.projectId, p.id))).toHaveLength(0);
	});

	it('refuses to request changes or decline without a message, and a missing judgement', async () => {
		const p = await submitted('Sans message');
		for (const decision of ['request_changes', 'decline'] as const) {
			const e = await failure(
				reviewProject(regionModerator, p.id, { decision, message: '  ', judgements: await allPass() })
			);
			expect(e.code).toBe('validation');
			expect(e.fields).toEqual({ message: 'moderation_error_message_required' });
		}
		const judgements = await allPass();
		const [missing] = Object.keys(judgements);
		delete judgements[missing];
		const e = await failure(reviewProject(regionModerator, p.id, { decision: 'approve', judgements }));
		expect(e.fields).toEqual({ [`criterion_${missing}`]: 'moderation_error_judgement_required' });
		expect((await getProjectPage(owner, p.slug)).project.status).toBe('submitted');
		expect(await db().select().from(reviews).where(eq(reviews.projectId, p.id))).toHaveLength(0);
	});

	it('hides a project approved for a future date until then', async () => {
		const p = await submitted('Publication différée');
		const inTenDays = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
		await reviewProject(admin, p.id, {
			decision: 'approve',
			publishOn: inTenDays,
			judgements: await allPass()
		});

		const [row] = await db().select().from(projects).where(eq(projects.id, p.id));
		expect(row.status).toBe('published');
		expect(row.publishedAt?.toISOString()).toBe(`${inTenDays}T00:00:00.000Z`);
		expect(isPublic(row)).toBe(false);
		expect(isPublic(row, new Date(`${inTenDays}T00:00:01Z`))).toBe(true);
		expect(await code(getProjectPage(null, p.slug))).toBe('not_found');
		expect(await code(getProjectPage(stranger, p.slug))).toBe('not_found');
		const listed = await searchProjects(projectFiltersSchema.parse({ q: 'Publication différée' }));
		expect(listed.rows.map((r) => r.id)).not.toContain(p.id);
		// The team and the moderators still see it.
		expect((await getProjectPage(owner, p.slug)).project.status).toBe('published');
		expect((await getProjectPage(regionModerator, p.slug)).project.status).toBe('published');

		// When the day comes (moved back here, as time cannot be), it is public.
		await db()
			.update(projects)
			.set({ publishedAt: new Date(Date.now() - 1000) })
			.where(eq(projects.id, p.id));
		expect((await getProjectPage(null, p.slug)).project.id).toBe(p.id);
	});

	it('refuses a publication date in the past', async () => {
		const p = await submitted('Date passée');
		const e = await failure(
			reviewProject(regionModerator, p.id, {
				decision: 'approve',
				publishOn: '2020-01-01',
				judgements: await allPass()
			})
		);
		expect(e.fields).toEqual({ publishOn: 'moderation_error_publish_past' });
		const [j] = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(reviewJudgements)
			.innerJoin(reviews, eq(reviews.id, reviewJudgements.reviewId))
			.where(eq(reviews.projectId, p.id));
		expect(Number(j.n)).toBe(0);
	});
});

describe('review queue', () => {
	let queueRegion: { id: string };
	let queueCity: { id: string };
	let queueModerator: Actor;
	let cityModerator: Actor;

	beforeAll(async () => {
		queueRegion = await buildTerritory({ slug: 'queue-region', kind: 'region' });
		queueCity = await buildTerritory({ slug: 'queue-city', parentId: queueRegion.id });
		queueModerator = (await buildUser({ moderates: [queueRegion.id] })).actor;
		cityModerator = (await buildUser({ moderates: [queueCity.id] })).actor;
	});

	it('lists the submissions of the moderated territories and their descendants, oldest first', async () => {
		const a = await buildProject(owner, queueCity.id, { title: 'File A' });
		const b = await buildProject(owner, queueRegion.id, { title: 'File B' });
		const c = await buildProject(owner, queueCity.id, { title: 'File C' });
		const draft = await buildProject(owner, queueCity.id, { title: 'File brouillon' });
		for (const p of [a, b, c]) await submitProject(owner, p.id, { answers: await allYes() });
		// Submission dates decide the order, not creation: A was submitted last.
		const at = (days: number) => new Date(Date.now() - days * 86400_000);
		await db()
			.update(projects)
			.set({ submittedAt: at(1) })
			.where(eq(projects.id, a.id));
		await db()
			.update(projects)
			.set({ submittedAt: at(3) })
			.where(eq(projects.id, b.id));
		await db()
			.update(projects)
			.set({ submittedAt: at(2) })
			.where(eq(projects.id, c.id));

		const queue = await reviewQueue(queueModerator);
		expect(queue.map((r) => r.title)).toEqual(['File B', 'File C', 'File A']);
		expect(queue.map((r) => r.id)).not.toContain(draft.id);
		expect(queue[0]).toMatchObject({ slug: b.slug, territory_fr: 'queue-region', resubmission: false });
		expect(queue[0].submitted_at).toBeInstanceOf(Date);

		// A moderator of the city sees only the city's; others see none of them.
		expect((await reviewQueue(cityModerator)).map((r) => r.title)).toEqual(['File C', 'File A']);
		const theirs = (await reviewQueue(otherModerator)).map((r) => r.id);
		for (const p of [a, b, c]) expect(theirs).not.toContain(p.id);
		expect((await reviewQueue(regionModerator)).map((r) => r.id)).not.toContain(a.id);
		// Administrators see every territory.
		expect((await reviewQueue(admin)).map((r) => r.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
		expect(await reviewQueue(stranger)).toEqual([]);
		expect(await code(reviewQueue(null))).toBe('unauthenticated');

		// Once decided it leaves the queue; sent back and submitted again, it is a resubmission.
		await reviewProject(queueModerator, b.id, {
			decision: 'request_changes',
			message: 'Ajoutez une étape.',
			judgements: await allPass()
		});
		expect((await reviewQueue(queueModerator)).map((r) => r.title)).toEqual(['File C', 'File A']);
		await submitProject(owner, b.id, { answers: await allYes() });
		const again = await reviewQueue(queueModerator);
		expect(again.map((r) => r.title)).toEqual(['File C', 'File A', 'File B']);
		expect(again.find((r) => r.id === b.id)?.resubmission).toBe(true);
	});
});

describe('review form', () => {
	it('reports every missing judgement, the decision and the message at once', async () => {
		const ids = (await listCriteria()).map((c) => c.id);
		const schema = reviewFormSchema(ids);
		const empty = schema.safeParse({});
		expect(empty.success).toBe(false);
		const paths = empty.error!.issues.map((i) => String(i.path[0]));
		expect(paths).toEqual(expect.arrayContaining([...ids.map((id) => `criterion_${id}`), 'decision']));

		const noMessage = schema.safeParse({
			...Object.fromEntries(ids.map((id) => [`passes_${id}`, 'yes'])),
			decision: 'decline',
			message: ' '
		});
		expect(noMessage.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
			['message', 'moderation_error_message_required']
		]);

		const ok = schema.parse({
			...Object.fromEntries(ids.map((id, i) => [`passes_${id}`, i === 0 ? 'no' : 'yes'])),
			[`note_${ids[0]}`]: '  À revoir ',
			decision: 'approve',
			message: '',
			publishOn: '2031-05-02'
		});
		expect(ok.decision).toBe('approve');
		expect(ok.publishOn).toBe('2031-05-02');
		expect(ok.judgements[ids[0]]).toEqual({ passes: false, note: 'À revoir' });
		expect(ok.judgements[ids[1]]).toEqual({ passes: true, note: '' });

		const badDate = schema.safeParse({
			...Object.fromEntries(ids.map((id) => [`passes_${id}`, 'yes'])),
			decision: 'approve',
			publishOn: '02/05/2031'
		});
		expect(badDate.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
			['publishOn', 'form_error_date']
		]);
		// A date given with another decision is ignored.
		const declined = schema.parse({
			...Object.fromEntries(ids.map((id) => [`passes_${id}`, 'no'])),
			decision: 'decline',
			message: 'Non.',
			publishOn: 'whatever'
		});
		expect(declined.publishOn).toBeNull();
	});
});

describe('countModerators', () => {
	it('counts live people moderating at least one territory, for administrators only', async () => {
		const before = await countModerators(admin);
		const twice = await buildUser({ moderates: [region.id, other.id] });
		expect(await countModerators(admin)).toBe(before + 1);
		await db().update(users).set({ deletedAt: new Date() }).where(eq(users.id, twice.user.id));
		expect(await countModerators(admin)).toBe(before);
		expect(await code(countModerators(regionModerator))).toBe('forbidden');
		expect(await code(countModerators(null))).toBe('unauthenticated');
	});
});
