import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser, ctx, FACTORY_PASSWORD } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { deleteAccount, type Actor } from '../accounts';
import { addNeed } from '../needs';
import { visibleProjectBySlug } from '../projects';
import { donate, completePayment, markOfflineReceived, refundDonation } from '../payments';
import { campaignBalances, checkLedger, postGroup, projectMoney } from './index';

process.env.PARVIS_PAYMENTS_TEST = '1';
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
let admin: Actor;
let nina: Actor;
let anna: Actor;
let gaston: Actor;
let otto: Actor;
let projectId: string;
let eurNeed: string;
let cadNeed: string;
let secondGiftOfNina: string;
let offlineGift: string;
const nextYear = `${new Date().getFullYear() + 1}`;

const gift = (
	amount: string,
	options: { tip?: string; anonymous?: boolean; method?: 'test' | 'offline' } = {}
) => ({
	amountMinor: amount,
	tipMinor: options.tip ?? '0',
	anonymous: options.anonymous ?? false,
	message: '',
	method: options.method ?? 'test',
	idempotencyKey: randomUUID()
});

/** A gift paid through the test method (optionally with a provider fee); returns its contribution id. */
async function give(
	who: Actor,
	needId: string,
	amount: number,
	options: { tip?: number; anonymous?: boolean; fee?: number; currency?: string } = {}
) {
	const { contributionId } = await donate(
		who,
		needId,
		gift(String(amount / 100), { tip: String((options.tip ?? 0) / 100), anonymous: options.anonymous })
	);
	expect(
		await completePayment({
			contributionId,
			providerEvent: `test:${contributionId}`,
			outcome: 'succeeded',
			amountMinor: amount + (options.tip ?? 0),
			currency: options.currency ?? 'EUR',
			feeMinor: options.fee
		})
	).toBe('credited');
	return contributionId;
}

beforeAll(async () => {
	owner = (await buildUser({ displayName: 'Olga Porteuse' })).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
	nina = (await buildUser({ displayName: 'Nina Nommée' })).actor;
	anna = (await buildUser({ displayName: 'Anna Secrète' })).actor;
	gaston = (await buildUser({ displayName: 'Gaston Parti' })).actor;
	otto = (await buildUser({ displayName: 'Otto Chèque' })).actor;
	const t = await buildTerritory();
	const p = await buildProject(owner, t.id, { title: `Caisse commune ${randomUUID().slice(0, 4)}` });
	projectId = p.id;
	eurNeed = (
		await addNeed(owner, p.id, {
			kind: 'money',
			title: 'Fonds des Tanneurs',
			goalMinor: '500',
			currency: 'EUR',
			campaignModel: 'keep_it_all',
			deadline: `${nextYear}-12-31`
		} as never)
	).id;
	cadNeed = (
		await addNeed(owner, p.id, {
			kind: 'money',
			title: 'Fonds québécois',
			goalMinor: '100',
			currency: 'CAD',
			campaignModel: 'keep_it_all',
			deadline: `${nextYear}-12-31`
		} as never)
	).id;
	await publishProject(owner, admin, p.id);
});

describe("a project's public money page", () => {
	it('shows nothing before any gift', async () => {
		const money = await projectMoney(projectId);
		expect(money.totals).toEqual([]);
		expect(money.gifts).toEqual([]);
	});

	it('adds up gifts per currency from the ledger: tips excluded, fees shown, donors counted once', async () => {
		await give(nina, eurNeed, 2500, { tip: 200 });
		await give(anna, eurNeed, 4000, { anonymous: true, fee: 50 });
		secondGiftOfNina = await give(nina, eurNeed, 1000);
		await give(gaston, eurNeed, 1500);
		await give(otto, cadNeed, 1200, { currency: 'CAD' });
		// A declined card is nothing.
		const { contributionId: declined } = await donate(otto, eurNeed, gift('99'));
		await completePayment({
			contributionId: declined,
			providerEvent: `test:${declined}`,
			outcome: 'failed',
			amountMinor: 9900,
			currency: 'EUR'
		});
		const money = await projectMoney(projectId);
		expect(money.totals).toEqual([
			{
				currency: 'CAD',
				givenMinor: 1200,
				donors: 1,
				refundedMinor: 0,
				feesMinor: 0,
				paidOutMinor: 0,
				correctionsMinor: 0,
				balanceMinor: 1200
			},
			{
				currency: 'EUR',
				givenMinor: 9000,
				donors: 3,
				refundedMinor: 0,
				feesMinor: 50,
				paidOutMinor: 0,
				correctionsMinor: 0,
				balanceMinor: 9000
			}
		]);
		expect(money.gifts).toHaveLength(5);
	});

	it('counts an offline gift only once the treasurer marked it received', async () => {
		const { contributionId } = await donate(otto, eurNeed, gift('30', { method: 'offline' }));
		offlineGift = contributionId;
		const before = (await projectMoney(projectId)).totals.find((t) => t.currency === 'EUR')!;
		expect(before.givenMinor).toBe(9000);
		await markOfflineReceived(owner, offlineGift);
		const after = (await projectMoney(projectId)).totals.find((t) => t.currency === 'EUR')!;
		expect(after).toMatchObject({ givenMinor: 12000, donors: 4, balanceMinor: 12000 });
	});

	it('shows refunds and payouts, and the balance the ledger holds', async () => {
		await refundDonation(
			admin,
			secondGiftOfNina,
			{ amountMinor: '5', reason: 'Erreur de saisie' },
			randomUUID()
		);
		await db().transaction((tx) =>
			postGroup(tx, {
				kind: 'payout',
				memo: 'Virement au porteur',
				entries: [
					{ account: { kind: 'campaign', refId: eurNeed, currency: 'EUR' }, amountMinor: -2000 },
					{ account: { kind: 'payouts', currency: 'EUR' }, amountMinor: 2000 }
				]
			})
		);
		const eur = (await projectMoney(projectId)).totals.find((t) => t.currency === 'EUR')!;
		expect(eur).toMatchObject({
			givenMinor: 12000,
			donors: 4,
			refundedMinor: 500,
			feesMinor: 50,
			paidOutMinor: 2000,
			balanceMinor: 9500
		});
		expect((await campaignBalances(db(), [eurNeed])).get(eurNeed)).toBe(eur.balanceMinor);
		expect(await checkLedger(db())).toEqual([]);
		const refunded = (await projectMoney(projectId)).gifts.find((g) => g.refundedMinor > 0)!;
		expect(refunded).toMatchObject({ amountMinor: 1000, refundedMinor: 500, currency: 'EUR' });
	});

	it('lists donors as they chose, newest first: anonymous gifts and deleted accounts carry no name', async () => {
		await deleteAccount(gaston, { currentPassword: FACTORY_PASSWORD }, ctx);
		const { gifts } = await projectMoney(projectId);
		expect(gifts).toHaveLength(6);
		const times = gifts.map((g) => g.at.getTime());
		expect([...times].sort((a, b) => b - a)).toEqual(times);
		const kinds = gifts.map((g) => (g.donor.kind === 'named' ? g.donor.name : g.donor.kind));
		expect(kinds.sort()).toEqual([
			'Nina Nommée',
			'Nina Nommée',
			'Otto Chèque',
			'Otto Chèque',
			'anonymous',
			'deleted'
		]);
		expect(gifts.find((g) => g.donor.kind === 'anonymous')).toMatchObject({
			amountMinor: 4000,
			needTitle: 'Fonds des Tanneurs'
		});
		const serialized = JSON.stringify(gifts);
		expect(serialized).not.toContain('Anna');
		expect(serialized).not.toContain('Gaston');
		expect(serialized).not.toContain(anna.id);
		// Tips go to the platform: the 2 € tip is not part of the first gift.
		expect(gifts.find((g) => g.amountMinor === 2500)).toBeDefined();
	});

	it("never reads the contributions' amounts", async () => {
		await db().execute(sql`UPDATE contributions SET amount_minor = 1 WHERE project_id = ${projectId}`);
		const eur = (await projectMoney(projectId)).totals.find((t) => t.currency === 'EUR')!;
		expect(eur.givenMinor).toBe(12000);
	});

	it('is only for projects the reader may see (the page asks projects first, as the money route does)', async () => {
		const t = await buildTerritory();
		const draft = await buildProject(owner, t.id, { title: 'Brouillon' });
		const moneyFor = async (reader: Actor | null, slug: string) =>
			projectMoney((await visibleProjectBySlug(reader, slug)).id);
		expect(await code(moneyFor(null, draft.slug))).toBe('not_found');
		expect(await code(moneyFor(nina, draft.slug))).toBe('not_found');
		expect((await moneyFor(owner, draft.slug)).totals).toEqual([]);
		expect(await code(moneyFor(null, 'nothing-here'))).toBe('not_found');
		expect(await code(projectMoney(randomUUID()))).toBe('not_found');
	});
});
