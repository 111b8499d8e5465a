process.env.PARVIS_PAYMENTS_TEST = '1';

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isActionFailure, isRedirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { AppError } from '../platform/errors';
import { db } from '../db/client';
import { contributions } from './schema';
import { actions as projectActions } from '../../../routes/(public)/projects/[slug]/+page.server';
import type { Actor } from '../accounts';
import { addNeed, addShift } from '../needs';
import { donate, completePayment } from '../payments';
import {
	signUpForShift,
	cancelSignup,
	pledgeMaterial,
	offerExpertise,
	getMyContribution,
	listMyContributions,
	mySignedUpShifts
} from './index';

useTestDatabase();

async function code(p: Promise<unknown>): Promise<string> {
	const e = await p.then(
		() => null,
		(err) => err
	);
	if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${e}`);
	return e.code;
}

const nextYear = `${new Date().getFullYear() + 1}`;
let donor: Actor;
let other: Actor;
let projectId: string;
let slug: string;
let moneyId: string;
let shiftId: string;
let planksId: string;
let adviceId: string;
const mine: Record<string, string> = {};
let othersPledge: string;

beforeAll(async () => {
	const owner = (await buildUser()).actor;
	const admin = (await buildUser({ isAdmin: true })).actor;
	donor = (await buildUser({ displayName: 'Dora Donatrice' })).actor;
	other = (await buildUser()).actor;
	const t = await buildTerritory();
	const p = await buildProject(owner, t.id, { title: 'Jardin des requêtes' });
	projectId = p.id;
	slug = p.slug;
	moneyId = (
		await addNeed(owner, p.id, {
			kind: 'money',
			title: 'Bacs et terre',
			goalMinor: '1000',
			currency: 'EUR',
			campaignModel: 'keep_it_all',
			deadline: `${nextYear}-12-31`
		} as never)
	).id;
	const vol = await addNeed(owner, p.id, {
		kind: 'volunteers',
		title: 'Chantier',
		role: 'Jardinier·e',
		skills: ''
	} as never);
	shiftId = (
		await addShift(owner, p.id, vol.id, {
			date: `${nextYear}-03-07`,
			startTime: '09:00',
			endTime: '12:00',
			place: 'Friche',
			capacity: '3'
		})
	).id;
	planksId = (
		await addNeed(owner, p.id, {
			kind: 'material',
			title: 'Planches',
			quantity: '40',
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

	// The donor gives in the four ways, one after the other (newest last).
	const gift = await donate(donor, moneyId, {
		amountMinor: '25',
		tipMinor: 250,
		anonymous: false,
		message: 'Bon courage',
		method: 'test',
		idempotencyKey: randomUUID()
	});
	await completePayment({
		contributionId: gift.contributionId,
		providerEvent: `test:${gift.contributionId}`,
		outcome: 'succeeded',
		amountMinor: 2750,
		currency: 'EUR'
	});
	mine.money = gift.contributionId;
	mine.volunteers = await signUpForShift(donor, shiftId);
	mine.material = await pledgeMaterial(donor, planksId, {
		quantity: '2',
		materialMode: 'give',
		returnBy: ''
	});
	mine.expertise = await offerExpertise(donor, adviceId, { hours: '3', message: 'Le samedi' });
	// Somebody else's contributions never show in the donor's list.
	othersPledge = await pledgeMaterial(other, planksId, { quantity: '5', materialMode: 'give', returnBy: '' });
	await signUpForShift(other, shiftId);
});

describe('listMyContributions', () => {
	it('lists the four kinds, newest first, with project, need and what was given', async () => {
		const list = await listMyContributions(donor);
		expect(list.map((c) => c.kind)).toEqual(['expertise', 'material', 'volunteers', 'money']);
		expect(list.map((c) => c.id)).toEqual([mine.expertise, mine.material, mine.volunteers, mine.money]);
		for (const c of list) {
			expect(c.project).toMatchObject({ id: projectId, slug, title: 'Jardin des requêtes' });
		}
		const [expertise, material, volunteers, money] = list;
		expect(money).toMatchObject({
			status: 'succeeded',
			amountMinor: 2500,
			tipMinor: 250,
			currency: 'EUR',
			paymentMethod: 'test',
			need: { id: moneyId, title: 'Bacs et terre' },
			shift: null
		});
		expect(volunteers).toMatchObject({ status: 'signed_up', need: { title: 'Chantier' } });
		expect(volunteers.shift).toMatchObject({ id: shiftId, place: 'Friche' });
		expect(volunteers.shift!.startsAt).toBeInstanceOf(Date);
		expect(material).toMatchObject({
			status: 'pledged',
			quantity: 2,
			materialMode: 'give',
			need: { id: planksId, unit: 'planches' }
		});
		expect(expertise).toMatchObject({ status: 'offered', hours: 3, message: 'Le samedi' });
	});

	it("shows only the person's own contributions", async () => {
		const theirs = await listMyContributions(other);
		expect(theirs.map((c) => c.kind).sort()).toEqual(['material', 'volunteers']);
		expect(theirs.map((c) => c.id)).toContain(othersPledge);
		const ids = new Set((await listMyContributions(donor)).map((c) => c.id));
		for (const c of theirs) expect(ids.has(c.id)).toBe(false);
		const stranger = (await buildUser()).actor;
		expect(await listMyContributions(stranger)).toEqual([]);
	});

	it('refuses a visitor', async () => {
		expect(await code(listMyContributions(null))).toBe('unauthenticated');
	});
});

describe('getMyContribution (the payment and confirmation pages)', () => {
	it('gives the donor their gift with its project and need', async () => {
		const c = await getMyContribution(donor, mine.money);
		expect(c).toMatchObject({
			id: mine.money,
			kind: 'money',
			amountMinor: 2500,
			tipMinor: 250,
			project: { slug, title: 'Jardin des requêtes' },
			need: { title: 'Bacs et terre', campaignModel: 'keep_it_all' }
		});
	});

	it('answers not_found to another person, and asks a visitor to sign in', async () => {
		expect(await code(getMyContribution(other, mine.money))).toBe('not_found');
		expect(await code(getMyContribution(donor, othersPledge))).toBe('not_found');
		expect(await code(getMyContribution(null, mine.money))).toBe('unauthenticated');
	});

	it('answers not_found to an unknown or malformed id', async () => {
		expect(await code(getMyContribution(donor, randomUUID()))).toBe('not_found');
		expect(await code(getMyContribution(donor, 'not-a-uuid'))).toBe('not_found');
	});
});

describe('mySignedUpShifts', () => {
	it('lists the live sign-ups of the person on the project, none for a visitor', async () => {
		expect(await mySignedUpShifts(donor, projectId)).toEqual([shiftId]);
		expect(await mySignedUpShifts(null, projectId)).toEqual([]);
		await cancelSignup(donor, mine.volunteers);
		expect(await mySignedUpShifts(donor, projectId)).toEqual([]);
		expect(await mySignedUpShifts(other, projectId)).toEqual([shiftId]);
		const [again] = (await listMyContributions(donor)).filter((c) => c.id === mine.volunteers);
		expect(again.status).toBe('cancelled');
	});
});

describe('the gift form of the project page (route action)', () => {
	/** Posts the donate form as the browser would, and returns the redirect or the failure. */
	async function post(actor: Actor | null, fields: Record<string, string>) {
		const body = new FormData();
		for (const [k, v] of Object.entries(fields)) body.set(k, v);
		const event = {
			request: new Request(`http://localhost/projects/${slug}?/donate`, { method: 'POST', body }),
			locals: { actor },
			params: { slug },
			url: new URL(`http://localhost/projects/${slug}?/donate`)
		};
		try {
			return await (projectActions.donate as (e: unknown) => Promise<unknown>)(event);
		} catch (e) {
			if (isRedirect(e)) return { redirect: e.location };
			throw e;
		}
	}
	const form = (extra: Record<string, string> = {}) => ({
		needId: moneyId,
		idempotencyKey: randomUUID(),
		amount: '25',
		amountOther: '',
		tip: '10',
		tipOther: '',
		anonymous: 'true',
		message: '',
		method: 'test',
		...extra
	});

	it('computes the tip from the chosen percentage on the server and goes to the test card page', async () => {
		const r = (await post(donor, form())) as { redirect: string };
		expect(r.redirect).toMatch(/^\/pay\/test\/[0-9a-f-]{36}$/);
		const [c] = await db()
			.select()
			.from(contributions)
			.where(eq(contributions.id, r.redirect.split('/').pop()!));
		expect(c).toMatchObject({ amountMinor: 2500, tipMinor: 250, anonymous: true, status: 'pending' });
	});

	it('lets a free amount win over the suggestion, and a tip amount over the percentage', async () => {
		const r = (await post(donor, form({ amountOther: '12,50', tipOther: '0' }))) as { redirect: string };
		const [c] = await db()
			.select()
			.from(contributions)
			.where(eq(contributions.id, r.redirect.split('/').pop()!));
		expect(c).toMatchObject({ amountMinor: 1250, tipMinor: 0 });
	});

	it('makes one gift of a double click (same idempotency key)', async () => {
		const fields = form({ tip: '0' });
		const [a, b] = (await Promise.all([post(donor, fields), post(donor, fields)])) as { redirect: string }[];
		expect(a.redirect).toBe(b.redirect);
	});

	it('keeps what was typed and names the field when the amount is wrong', async () => {
		const r = await post(donor, form({ amountOther: 'douze', message: 'Mon mot' }));
		expect(isActionFailure(r)).toBe(true);
		const data = (r as { status: number; data: Record<string, unknown> }).data;
		expect((r as { status: number }).status).toBe(400);
		expect(data).toMatchObject({ form: 'donate', target: moneyId, values: { message: 'Mon mot' } });
		expect(Object.keys(data.errors as object)).toEqual(['amountOther']);
	});

	it('offers the offline method with its instructions page, and sends a visitor to sign in', async () => {
		const r = (await post(donor, form({ method: 'offline' }))) as { redirect: string };
		expect(r.redirect).toMatch(/^\/contributions\/[0-9a-f-]{36}$/);
		const visitor = (await post(null, form())) as { redirect: string };
		expect(visitor.redirect).toBe(`/signin?returnTo=${encodeURIComponent(`/projects/${slug}`)}`);
	});
});
