import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser, ctx, FACTORY_PASSWORD } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { flushMail } from '../../../../tests/factories/mail';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { deleteAccount, type Actor } from '../accounts';
import { addNeed, addShift } from '../needs';
import { projectMembers } from '../projects/schema';
import { donate, completePayment } from '../payments';
import {
	signUpForShift,
	pledgeMaterial,
	offerExpertise,
	markAttendance,
	projectContributions,
	contributionsCsv,
	thankContributors,
	THANKS_PER_DAY
} from './index';

process.env.PARVIS_PAYMENTS_TEST = '1';
useTestDatabase();

async function failure(p: Promise<unknown>): Promise<AppError> {
	const e = await p.then(
		() => null,
		(err) => err
	);
	if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${e}`);
	return e;
}

/** A small RFC 4180 reader (quoted cells, doubled quotes, CRLF), to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += c;
	}
	if (cell || row.length) rows.push([...row, cell]);
	return rows;
}

let owner: Actor;
let editor: Actor;
let stranger: Actor;
let volunteer: Actor;
let lender: Actor;
let expert: Actor;
let donor: Actor;
let gone: Actor;
let projectId: string;
let projectTitle: string;
let volunteersNeed: string;
let chairsNeed: string;
let moneyNeed: string;
let signupId: string;
const nextYear = `${new Date().getFullYear() + 1}`;

beforeAll(async () => {
	const t = await buildTerritory();
	owner = (await buildUser({ displayName: 'Olga Porteuse' })).actor;
	editor = (await buildUser({ displayName: 'Eddy Éditeur' })).actor;
	const admin = (await buildUser({ isAdmin: true })).actor;
	stranger = (await buildUser()).actor;
	volunteer = (await buildUser({ displayName: 'Val Volunteer', locale: 'en' })).actor;
	lender = (await buildUser({ displayName: 'Durand, "Jo"', locale: 'fr' })).actor;
	expert = (await buildUser({ displayName: '=HYPERLINK("http://evil.example")', locale: 'fr' })).actor;
	donor = (await buildUser({ displayName: 'Dora Donor', locale: 'en' })).actor;
	gone = (await buildUser({ displayName: 'Gaston Parti' })).actor;
	projectTitle = `Fête des voisins ${randomUUID().slice(0, 4)}`;
	const p = await buildProject(owner, t.id, { title: projectTitle });
	projectId = p.id;
	await db().insert(projectMembers).values({ projectId, userId: editor.id, role: 'editor' });
	volunteersNeed = (
		await addNeed(owner, p.id, {
			kind: 'volunteers',
			title: 'Installation',
			role: 'Montage',
			skills: ''
		} as never)
	).id;
	const shiftId = (
		await addShift(owner, p.id, volunteersNeed, {
			date: `${nextYear}-06-01`,
			startTime: '09:00',
			endTime: '12:00',
			place: 'Cour de l’école',
			capacity: '5'
		})
	).id;
	chairsNeed = (
		await addNeed(owner, p.id, {
			kind: 'material',
			title: 'Chaises',
			quantity: '10',
			unit: 'chaises',
			materialMode: 'lend',
			returnBy: `${nextYear}-06-02`
		} as never)
	).id;
	const expertiseNeed = (
		await addNeed(owner, p.id, { kind: 'expertise', title: 'Sono', skill: 'son', hours: '5' } as never)
	).id;
	moneyNeed = (
		await addNeed(owner, p.id, {
			kind: 'money',
			title: 'Fonds',
			goalMinor: '500',
			currency: 'EUR',
			campaignModel: 'keep_it_all',
			deadline: `${nextYear}-12-31`
		} as never)
	).id;
	await publishProject(owner, admin, p.id);

	signupId = await signUpForShift(volunteer, shiftId, 'Je viens avec une perceuse');
	await pledgeMaterial(volunteer, chairsNeed, {
		quantity: '1',
		materialMode: 'lend',
		returnBy: `${nextYear}-06-02`
	});
	await pledgeMaterial(lender, chairsNeed, {
		quantity: '2',
		materialMode: 'lend',
		returnBy: `${nextYear}-06-02`,
		message: 'Deux chaises, "pliantes"\nà reprendre'
	});
	await offerExpertise(expert, expertiseNeed, { hours: '2', message: '+33 6 00 00 00 00' });
	await offerExpertise(gone, expertiseNeed, { hours: '1' });
	await deleteAccount(gone, { currentPassword: FACTORY_PASSWORD }, ctx);
	const paid = await donate(donor, moneyNeed, {
		amountMinor: '25',
		tipMinor: '2',
		anonymous: true,
		message: '',
		method: 'test',
		idempotencyKey: randomUUID()
	});
	await completePayment({
		contributionId: paid.contributionId,
		providerEvent: `test:${paid.contributionId}`,
		outcome: 'succeeded',
		amountMinor: 2700,
		currency: 'EUR'
	});
	// An offline gift not received yet: listed for the team, not thanked.
	await donate(stranger, moneyNeed, {
		amountMinor: '10',
		tipMinor: '0',
		anonymous: false,
		message: '',
		method: 'offline',
		idempotencyKey: randomUUID()
	});
});

describe("the team's list of contributions", () => {
	it('lists every kind with contributor, need and shift, deleted accounts anonymized', async () => {
		const rows = await projectContributions(editor, projectId);
		expect(rows).toHaveLength(7);
		const signup = rows.find((r) => r.id === signupId)!;
		expect(signup).toMatchObject({
			kind: 'volunteers',
			status: 'signed_up',
			contributorName: 'Val Volunteer',
			needTitle: 'Installation',
			shiftPlace: 'Cour de l’école',
			message: 'Je viens avec une perceuse'
		});
		expect(signup.shiftStartsAt?.toISOString()).toBe(`${nextYear}-06-01T09:00:00.000Z`);
		const names = rows.map((r) => r.contributorName);
		expect(names).toContain(null);
		expect(names).not.toContain('Gaston Parti');
		const offline = rows.find((r) => r.paymentMethod === 'offline')!;
		expect(offline).toMatchObject({ status: 'pending', amountMinor: 1000, currency: 'EUR' });
		expect(offline.reference).toBe(`PARVIS-${offline.id.slice(0, 8).toUpperCase()}`);
		// Grouped by need: the needs come in their order.
		const needOrder = [...new Set(rows.map((r) => r.needTitle))];
		expect(needOrder.indexOf('Installation')).toBeLessThan(needOrder.indexOf('Fonds'));
	});

	it('filters by kind, status and need; unknown filter values are ignored', async () => {
		expect((await projectContributions(owner, projectId, { kind: 'material' })).map((r) => r.kind)).toEqual([
			'material',
			'material'
		]);
		expect(await projectContributions(owner, projectId, { status: 'offered' })).toHaveLength(2);
		expect(await projectContributions(owner, projectId, { needId: chairsNeed })).toHaveLength(2);
		expect(
			await projectContributions(owner, projectId, { kind: 'money', status: 'pending', needId: moneyNeed })
		).toHaveLength(1);
		expect(
			await projectContributions(owner, projectId, {
				kind: 'nope',
				status: 'x',
				needId: 'not-a-uuid'
			} as never)
		).toHaveLength(7);
		// The shift has begun: attendance can be recorded.
		await db().execute(
			sql`UPDATE shifts SET starts_at = now() - interval '4 hours', ends_at = now() - interval '1 hour' WHERE id = (SELECT shift_id FROM contributions WHERE id = ${signupId})`
		);
		await markAttendance(owner, signupId, true);
		const [attended] = await projectContributions(owner, projectId, { status: 'attended' });
		expect(attended).toMatchObject({ id: signupId, hoursCounted: 3 });
		// Put the shift back where the other tests expect it.
		await db().execute(
			sql`UPDATE shifts SET starts_at = ${`${nextYear}-06-01T09:00:00Z`}, ends_at = ${`${nextYear}-06-01T12:00:00Z`} WHERE id = (SELECT shift_id FROM contributions WHERE id = ${signupId})`
		);
	});

	it('refuses people outside the team', async () => {
		expect((await failure(projectContributions(null, projectId))).code).toBe('unauthenticated');
		expect((await failure(projectContributions(stranger, projectId))).code).toBe('forbidden');
		expect((await failure(projectContributions(donor, projectId))).code).toBe('forbidden');
		expect((await failure(contributionsCsv(null, projectId))).code).toBe('unauthenticated');
		expect((await failure(contributionsCsv(stranger, projectId))).code).toBe('forbidden');
		expect((await failure(thankContributors(null, projectId, 'Merci'))).code).toBe('unauthenticated');
		expect((await failure(thankContributors(stranger, projectId, 'Merci'))).code).toBe('forbidden');
	});
});

describe('the CSV export', () => {
	it('is RFC 4180 with a header row and a byte order mark, escaped and formula-safe', async () => {
		const csv = await contributionsCsv(owner, projectId, 'en');
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv.endsWith('\r\n')).toBe(true);
		expect(csv).not.toContain(';');
		const rows = parseCsv(csv.slice(1));
		expect(rows).toHaveLength(8);
		const [header, ...body] = rows;
		expect(header.slice(0, 5)).toEqual(['Date (UTC)', 'Need', 'Kind', 'Status', 'Contributor']);
		expect(body.every((r) => r.length === header.length)).toBe(true);
		const col = (name: string) => header.indexOf(name);
		const byName = (name: string) => body.find((r) => r[col('Contributor')] === name)!;
		// A comma and quotes in a name, a line break in a message: quoted, read back intact.
		const jo = byName('Durand, "Jo"');
		expect(jo[col('Message')]).toBe('Deux chaises, "pliantes"\nà reprendre');
		expect(jo[col('Quantity')]).toBe('2');
		expect(jo[col('Gift or loan')]).toBe('loan');
		expect(csv).toContain('"Durand, ""Jo"""');
		// Cells a spreadsheet would run as formulas start with a quote.
		const evil = byName(`'=HYPERLINK("http://evil.example")`);
		expect(evil[col('Message')]).toBe("'+33 6 00 00 00 00");
		expect(evil[col('Status')]).toBe('Offered');
		expect(byName('Deleted account')[col('Hours')]).toBe('1');
		const gift = byName('Dora Donor');
		expect(gift.slice(col('Anonymous in public'), col('Currency') + 1)).toEqual([
			'yes',
			'25.00',
			'2.00',
			'EUR'
		]);
		const val = body.filter((r) => r[col('Contributor')] === 'Val Volunteer');
		expect(val.map((r) => r[col('Status')]).sort()).toEqual(['Attended', 'Pledged']);
		expect(val.find((r) => r[col('Kind')] === 'Volunteers')![col('Shift start')]).toBe(
			`${nextYear}-06-01 09:00`
		);
		const offline = body.find((r) => r[col('Payment method')] === 'transfer, cheque or cash')!;
		expect(offline[col('Reference')]).toMatch(/^PARVIS-[0-9A-F]{8}$/);
	});

	it('speaks the language asked for', async () => {
		const csv = await contributionsCsv(owner, projectId, 'fr');
		expect(parseCsv(csv.slice(1))[0].slice(0, 4)).toEqual(['Date (UTC)', 'Besoin', 'Type', 'Statut']);
	});
});

describe('thanking contributors', () => {
	it('checks the message', async () => {
		const empty = await failure(thankContributors(owner, projectId, '   '));
		expect(empty.code).toBe('validation');
		expect(empty.fields.message).toBe('form_error_required');
		const long = await failure(thankContributors(owner, projectId, 'x'.repeat(2001)));
		expect(long.fields.message).toBe('form_error_too_long');
	});

	it('writes once to each contributor, in their language; not to deleted accounts or unpaid gifts', async () => {
		await flushMail();
		const sent = await thankContributors(editor, projectId, 'Merci à toutes et tous !\n\nÀ bientôt.');
		expect(sent).toBe(4);
		const mails = (await flushMail()).filter((m) =>
			/^(Thank you for helping|Merci pour votre aide)/.test(m.subject)
		);
		expect(mails).toHaveLength(4);
		const to = (a: Actor) => mails.filter((m) => m.to === a.email);
		expect(to(volunteer)).toHaveLength(1);
		expect(to(volunteer)[0].subject).toBe(`Thank you for helping “${projectTitle}”`);
		expect(to(volunteer)[0].text).toContain('Hello Val Volunteer,');
		expect(to(donor)[0].subject).toMatch(/^Thank you/);
		expect(to(lender)[0].subject).toBe(`Merci pour votre aide à « ${projectTitle} »`);
		expect(to(lender)[0].text).toContain('Eddy Éditeur, de l’équipe du projet');
		expect(to(lender)[0].text).toContain('Merci à toutes et tous !\n\nÀ bientôt.');
		expect(to(lender)[0].html).toContain('<p>À bientôt.</p>');
		expect(to(expert)).toHaveLength(1);
		expect(to(expert)[0].html).not.toContain('<a href="http://evil');
		expect(to(stranger)).toHaveLength(0);
		expect(mails.some((m) => m.to.startsWith('deleted-'))).toBe(false);
	});

	it(`is limited to ${THANKS_PER_DAY} mailings per project and day`, async () => {
		for (let i = 1; i < THANKS_PER_DAY; i++) await thankContributors(owner, projectId, `Merci ${i}`);
		const refused = await failure(thankContributors(owner, projectId, 'Encore merci'));
		expect(refused.code).toBe('rate_limited');
		expect(refused.messageKey).toBe('team_contrib_error_too_many');
	});

	it('says so when nobody contributed yet', async () => {
		const t = await buildTerritory();
		const p = await buildProject(owner, t.id, { title: 'Projet sans aide' });
		expect((await failure(thankContributors(owner, p.id, 'Merci'))).messageKey).toBe(
			'team_contrib_error_nobody'
		);
	});
});
