import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import type { Actor } from '../accounts';
import { addNeed } from '../needs';
import { contributions } from '../contributions/schema';
import { campaignBalances, checkLedger } from '../ledger';
import { t } from '$lib/i18n';
import { flushMail } from '../../../../tests/factories/mail';
import { currentBoss } from '../platform/jobs';
import { cancelProject, getProjectPage } from '../projects';
import {
	donate,
	completePayment,
	markOfflineReceived,
	refundDonation,
	closeDueCampaigns,
	releaseProjectPledges,
	RELEASE_PLEDGES_JOB
} from './index';

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
let donor: Actor;
let keepId: string;
let slug: string;
const nextYear = `${new Date().getFullYear() + 1}`;

async function campaign(model: 'keep_it_all' | 'all_or_nothing', goal: string) {
	const t = await buildTerritory();
	const p = await buildProject(owner, t.id, { title: `Campagne ${model} ${randomUUID().slice(0, 4)}` });
	const need = await addNeed(owner, p.id, {
		kind: 'money',
		title: 'Fonds',
		goalMinor: goal,
		currency: 'EUR',
		campaignModel: model,
		deadline: `${nextYear}-12-31`
	} as never);
	await publishProject(owner, admin, p.id);
	return { project: p, needId: need.id };
}

const gift = (amount: string, tip = '0', method: 'test' | 'offline' = 'test') => ({
	amountMinor: amount,
	tipMinor: tip,
	anonymous: false,
	message: '',
	method,
	idempotencyKey: randomUUID()
});

beforeAll(async () => {
	owner = (await buildUser()).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
	donor = (await buildUser({ displayName: 'Dora Donatrice' })).actor;
	const c = await campaign('keep_it_all', '1000');
	keepId = c.needId;
	slug = c.project.slug;
});

describe('gifts through the test method', () => {
	it('records a pending gift, then credits gift and tip to the ledger on success', async () => {
		const { contributionId, next } = await donate(donor, keepId, gift('25', '2,50'));
		expect(next).toEqual({ kind: 'redirect', url: `/pay/test/${contributionId}` });
		expect((await campaignBalances(db(), [keepId])).get(keepId) ?? 0).toBe(0);
		expect(
			await completePayment({
				contributionId,
				providerEvent: `test:${contributionId}`,
				outcome: 'succeeded',
				amountMinor: 2750,
				currency: 'EUR'
			})
		).toBe('credited');
		expect((await campaignBalances(db(), [keepId])).get(keepId)).toBe(2500);
		const page = await getProjectPage(null, slug);
		expect(page.project.needs.find((n) => n.kind === 'money')!.fulfilled).toBe(2500);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('a re-submitted form (same idempotency key) never makes two gifts', async () => {
		const input = gift('10');
		const results = await Promise.all(Array.from({ length: 5 }, () => donate(donor, keepId, input)));
		expect(new Set(results.map((r) => r.contributionId)).size).toBe(1);
	});

	it('20 deliveries of the same event in random order give one ledger credit', async () => {
		const { contributionId } = await donate(donor, keepId, gift('40'));
		const event = {
			contributionId,
			providerEvent: `evt_${contributionId}`,
			outcome: 'succeeded' as const,
			amountMinor: 4000,
			currency: 'EUR'
		};
		const before = (await campaignBalances(db(), [keepId])).get(keepId)!;
		const results = await Promise.allSettled(Array.from({ length: 20 }, () => completePayment(event)));
		expect(results.filter((r) => r.status === 'fulfilled' && r.value === 'credited')).toHaveLength(1);
		expect((await campaignBalances(db(), [keepId])).get(keepId)).toBe(before + 4000);
		const [{ n }] = (
			await db().execute<{ n: number }>(
				sql`SELECT count(*)::int AS n FROM ledger_groups WHERE contribution_id = ${contributionId}`
			)
		).rows;
		expect(Number(n)).toBe(1);
	});

	it('refuses an event whose amount or currency differs from the gift', async () => {
		const { contributionId } = await donate(donor, keepId, gift('30'));
		expect(
			await code(
				completePayment({
					contributionId,
					providerEvent: 'x1',
					outcome: 'succeeded',
					amountMinor: 300,
					currency: 'EUR'
				})
			)
		).toBe('validation');
		expect(
			await code(
				completePayment({
					contributionId,
					providerEvent: 'x2',
					outcome: 'succeeded',
					amountMinor: 3000,
					currency: 'CAD'
				})
			)
		).toBe('validation');
		const [c] = await db().select().from(contributions).where(eq(contributions.id, contributionId));
		expect(c.status).toBe('pending');
	});

	it('a declined card leaves nothing in the ledger', async () => {
		const { contributionId } = await donate(donor, keepId, gift('12'));
		const before = (await campaignBalances(db(), [keepId])).get(keepId)!;
		expect(
			await completePayment({
				contributionId,
				providerEvent: `test:${contributionId}`,
				outcome: 'failed',
				amountMinor: 1200,
				currency: 'EUR'
			})
		).toBe('failed');
		expect((await campaignBalances(db(), [keepId])).get(keepId)).toBe(before);
	});
});

describe('offline gifts and refunds', () => {
	it('an offline gift enters the ledger only when the treasurer marks it received, once', async () => {
		const { contributionId, next } = await donate(donor, keepId, gift('50', '0', 'offline'));
		expect(next.kind).toBe('instructions');
		expect(await code(markOfflineReceived(donor, contributionId))).toBe('forbidden');
		const before = (await campaignBalances(db(), [keepId])).get(keepId)!;
		await markOfflineReceived(owner, contributionId);
		expect((await campaignBalances(db(), [keepId])).get(keepId)).toBe(before + 5000);
		expect(await code(markOfflineReceived(owner, contributionId))).toBe('conflict');
	});

	it('refunds never exceed the gift, even when fired in parallel', async () => {
		const { contributionId } = await donate(donor, keepId, gift('20'));
		await completePayment({
			contributionId,
			providerEvent: `test:${contributionId}`,
			outcome: 'succeeded',
			amountMinor: 2000,
			currency: 'EUR'
		});
		expect(await code(refundDonation(owner, contributionId, { amountMinor: '5' }, 'k0'))).toBe('forbidden');
		const results = await Promise.allSettled(
			Array.from({ length: 6 }, (_, i) =>
				refundDonation(admin, contributionId, { amountMinor: '8' }, `k${i}`)
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2); // 8 + 8 ≤ 20, a third would exceed
		await refundDonation(admin, contributionId, { amountMinor: '4' }, 'last');
		const [c] = await db().select().from(contributions).where(eq(contributions.id, contributionId));
		expect(c.status).toBe('refunded');
		expect(await code(refundDonation(admin, contributionId, { amountMinor: '1' }, 'again'))).toBe(
			'validation'
		);
		expect(await checkLedger(db())).toEqual([]);
	});
});

describe('all-or-nothing campaigns', () => {
	async function pledge(needId: string, amount: string) {
		const { contributionId } = await donate(donor, needId, gift(amount));
		expect(
			await completePayment({
				contributionId,
				providerEvent: `test:${contributionId}`,
				outcome: 'succeeded',
				amountMinor: Number(amount) * 100,
				currency: 'EUR'
			})
		).toBe('pledged');
		return contributionId;
	}

	it('goal met at the deadline: every pledge charged once, project funded — even after a crash midway', async () => {
		const { needId, project } = await campaign('all_or_nothing', '100');
		for (const a of ['30', '40', '50']) await pledge(needId, a);
		expect((await campaignBalances(db(), [needId])).get(needId) ?? 0).toBe(0);
		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		let charged = 0;
		await expect(
			closeDueCampaigns({
				charge: async () => {
					if (++charged === 2) throw new Error('worker killed');
				}
			})
		).rejects.toThrow('worker killed');
		expect((await campaignBalances(db(), [needId])).get(needId)).toBe(3000);
		await closeDueCampaigns();
		expect((await campaignBalances(db(), [needId])).get(needId)).toBe(12000);
		await closeDueCampaigns();
		expect((await campaignBalances(db(), [needId])).get(needId)).toBe(12000);
		expect((await getProjectPage(null, project.slug)).project.status).toBe('funded');
		expect(await checkLedger(db())).toEqual([]);
	});

	it('goal missed: nothing is charged and the project is not funded', async () => {
		const { needId, project } = await campaign('all_or_nothing', '500');
		const id = await pledge(needId, '20');
		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		await closeDueCampaigns();
		expect((await campaignBalances(db(), [needId])).get(needId) ?? 0).toBe(0);
		const [c] = await db().select().from(contributions).where(eq(contributions.id, id));
		expect(c.status).toBe('cancelled');
		expect((await getProjectPage(null, project.slug)).project.status).toBe('not_funded');
	});
});

describe('donors are told by e-mail', () => {
	it('sends a bilingual confirmation, and a refund notice', async () => {
		const { flushMail } = await import('../../../../tests/factories/mail');
		const english = (await buildUser({ locale: 'en', email: 'en.donor@example.org' })).actor;
		const { contributionId } = await donate(english, keepId, gift('15'));
		await completePayment({
			contributionId,
			providerEvent: `test:${contributionId}`,
			outcome: 'succeeded',
			amountMinor: 1500,
			currency: 'EUR'
		});
		await refundDonation(admin, contributionId, { amountMinor: '5' }, 'mail');
		const mails = (await flushMail()).filter((m) => m.to === 'en.donor@example.org');
		expect(mails.map((m) => m.subject).sort()).toEqual([
			expect.stringMatching(/^Refund of your gift/),
			expect.stringMatching(/^Thank you for your gift/)
		]);
		expect(mails.find((m) => m.subject.startsWith('Thank'))!.text).toContain('€15.00');
	});
});

describe('administration of gifts', () => {
	it('lists gifts with what was refunded, for administrators only', async () => {
		const { listGiftsForAdmin } = await import('./index');
		const gifts = await listGiftsForAdmin(admin, { q: 'Dora' });
		expect(gifts.length).toBeGreaterThan(0);
		expect(gifts.some((g) => g.refunded > 0 && g.status === 'refunded')).toBe(true);
		expect(await code(listGiftsForAdmin(donor))).toBe('forbidden');
	});
});

describe('offline instructions', () => {
	it('the team sets how to pay offline; strangers cannot', async () => {
		const { setOfflineInstructions } = await import('../projects');
		const { getMyContribution } = await import('../contributions');
		const [{ id: projectId }] = (
			await db().execute<{ id: string }>(sql`SELECT project_id AS id FROM needs WHERE id = ${keepId}`)
		).rows;
		expect(await code(setOfflineInstructions(donor, projectId, { offlineInstructions: 'IBAN FR76 …' }))).toBe(
			'forbidden'
		);
		await setOfflineInstructions(owner, projectId, {
			offlineInstructions: 'IBAN FR76 3000 4000 0500 0012 3456 789\nChèques à l’ordre de l’association'
		});
		const { contributionId } = await donate(donor, keepId, gift('20', '0', 'offline'));
		const mine = await getMyContribution(donor, contributionId);
		expect(mine.project.offlineInstructions).toContain('IBAN FR76');
	});
});

describe('payouts', () => {
	it('records payouts to the carrier, never more than the balance, even in parallel', async () => {
		const { recordPayout, needsWithBalance } = await import('./index');
		const { projectMoney } = await import('../ledger');
		const before = (await campaignBalances(db(), [keepId])).get(keepId)!;
		expect(before).toBeGreaterThan(0);
		expect((await needsWithBalance(admin)).some((n) => n.need_id === keepId)).toBe(true);
		expect(await code(recordPayout(owner, { needId: keepId, amountMinor: '1' }, 'x'))).toBe('forbidden');
		const half = (Math.floor(before / 2) / 100).toFixed(2);
		const results = await Promise.allSettled(
			[0, 1, 2].map((i) => recordPayout(admin, { needId: keepId, amountMinor: half }, `p${i}`))
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
		const after = (await campaignBalances(db(), [keepId])).get(keepId)!;
		expect(after).toBe(before - 2 * Math.round(Number(half) * 100));
		expect(after).toBeGreaterThanOrEqual(0);
		const [{ id: projectId }] = (
			await db().execute<{ id: string }>(sql`SELECT project_id AS id FROM needs WHERE id = ${keepId}`)
		).rows;
		const money = await projectMoney(projectId);
		expect(JSON.stringify(money)).toContain(String(2 * Math.round(Number(half) * 100)));
		expect(await checkLedger(db())).toEqual([]);
	});
});

describe('cancelled projects and late payments (issue 9)', () => {
	async function pledged(needId: string, amount: string) {
		const { contributionId } = await donate(donor, needId, gift(amount));
		await completePayment({
			contributionId,
			providerEvent: `test:${contributionId}`,
			outcome: 'succeeded',
			amountMinor: Number(amount) * 100,
			currency: 'EUR'
		});
		return contributionId;
	}
	const status = async (id: string) =>
		(await db().select().from(contributions).where(eq(contributions.id, id)))[0].status;
	const subject = (key: string, project: string) => t(key, { project }, 'fr');

	it('cancelling a project releases its pledges at once and tells the donors; its deadline never charges them', async () => {
		const { needId, project } = await campaign('all_or_nothing', '50');
		const ids = [await pledged(needId, '30'), await pledged(needId, '40')];
		const other = await campaign('all_or_nothing', '50');
		const otherId = await pledged(other.needId, '60');

		// A moderator (here the administrator) cancels it: the release is queued in the same transaction.
		await cancelProject(admin, project.id, 'Projet abandonné.');
		const boss = currentBoss()!;
		const jobs = (await boss.fetch<{ projectId: string }>(RELEASE_PLEDGES_JOB, { batchSize: 50 })) ?? [];
		expect(jobs.map((j) => j.data)).toEqual([{ projectId: project.id }]);
		expect(await releaseProjectPledges(jobs[0].data)).toEqual({ released: 2 });
		await boss.complete(RELEASE_PLEDGES_JOB, jobs[0].id);
		expect(await releaseProjectPledges(jobs[0].data)).toEqual({ released: 0 }); // idempotent
		expect([await status(ids[0]), await status(ids[1])]).toEqual(['cancelled', 'cancelled']);
		expect(await status(otherId)).toBe('pledged');
		const told = (await flushMail()).filter(
			(m) =>
				m.to === donor.email && m.subject === subject('mail_gift_project_cancelled_subject', project.title)
		);
		expect(told).toHaveLength(2);

		// Both deadlines pass: the other campaign is charged, the cancelled one never.
		await db().execute(
			sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id IN (${needId}, ${other.needId})`
		);
		const charged: string[] = [];
		await closeDueCampaigns({ charge: async (c) => void charged.push(c.id) });
		expect(charged).toEqual([otherId]);
		expect((await campaignBalances(db(), [needId])).get(needId) ?? 0).toBe(0);
		expect((await getProjectPage(admin, project.slug)).project.status).toBe('cancelled');
		expect(await checkLedger(db())).toEqual([]);
	});

	it('the closing job never charges a cancelled project, even when its release job was lost', async () => {
		const { needId, project } = await campaign('all_or_nothing', '10');
		const id = await pledged(needId, '20');
		await cancelProject(owner, project.id, 'Plus de local.');
		// The queued release is dropped (a lost job): the closing job's own query is the second guard.
		const boss = currentBoss()!;
		for (const j of (await boss.fetch(RELEASE_PLEDGES_JOB, { batchSize: 50 })) ?? [])
			await boss.complete(RELEASE_PLEDGES_JOB, j.id);
		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		const charged: string[] = [];
		await closeDueCampaigns({ charge: async (c) => void charged.push(c.id) });
		expect(charged).toEqual([]);
		expect(await status(id)).toBe('pledged');
		expect((await campaignBalances(db(), [needId])).get(needId) ?? 0).toBe(0);
		// …and the sweep of cancelled projects (run by the same cron job) releases it.
		expect(await releaseProjectPledges({ projectId: project.id })).toEqual({ released: 1 });
		expect(await status(id)).toBe('cancelled');
	});

	it('a pledge charged while its project is being cancelled is not credited but given back', async () => {
		const { needId, project } = await campaign('all_or_nothing', '10');
		const ids = [await pledged(needId, '20'), await pledged(needId, '30')];
		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		const charged: string[] = [];
		const givenBack: string[] = [];
		await closeDueCampaigns({
			// The team cancels while the provider charges the first pledge.
			charge: async (c) => {
				charged.push(c.id);
				await cancelProject(owner, project.id, 'Annulé pendant la clôture.');
			},
			giveBack: async (c) => void givenBack.push(c.id)
		});
		expect(charged).toHaveLength(1);
		expect(givenBack).toEqual(charged);
		expect(await status(charged[0])).toBe('cancelled');
		expect(await status(ids.find((id) => id !== charged[0])!)).toBe('pledged'); // for the release job
		expect((await campaignBalances(db(), [needId])).get(needId) ?? 0).toBe(0);
		expect((await getProjectPage(owner, project.slug)).project.status).toBe('cancelled');
		expect(await checkLedger(db())).toEqual([]);
	});

	it('a payment that arrives after its campaign closed is turned away, its donor told, the ledger untouched', async () => {
		const { needId, project } = await campaign('all_or_nothing', '10');
		const { contributionId } = await donate(donor, needId, gift('25'));
		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		await closeDueCampaigns();
		const verdict = {
			contributionId,
			providerEvent: `test:${contributionId}`,
			outcome: 'succeeded' as const,
			amountMinor: 2500,
			currency: 'EUR'
		};
		expect(await completePayment(verdict)).toBe('late');
		expect(await completePayment(verdict)).toBe('duplicate');
		expect(await status(contributionId)).toBe('cancelled');
		const told = (await flushMail()).filter(
			(m) => m.to === donor.email && m.subject === subject('mail_gift_late_subject', project.title)
		);
		expect(told).toHaveLength(1);
		expect((await campaignBalances(db(), [needId])).get(needId) ?? 0).toBe(0);

		// The same for a keep-it-all gift whose project was cancelled while the donor paid.
		const kept = await campaign('keep_it_all', '1000');
		const late = await donate(donor, kept.needId, gift('15'));
		await cancelProject(owner, kept.project.id, 'Arrêt.');
		expect(
			await completePayment({ ...verdict, contributionId: late.contributionId, amountMinor: 1500 })
		).toBe('late');
		expect((await campaignBalances(db(), [kept.needId])).get(kept.needId) ?? 0).toBe(0);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('refuses a malformed provider verdict with field errors', async () => {
		const e = await completePayment({
			contributionId: 'not-a-uuid',
			providerEvent: '',
			outcome: 'succeeded',
			amountMinor: -1,
			currency: 'EUR'
		}).catch((err) => err);
		expect(e).toBeInstanceOf(AppError);
		expect(e.fields).toMatchObject({
			contributionId: 'form_error_invalid',
			providerEvent: 'form_error_required',
			amountMinor: 'form_error_invalid'
		});
	});
});
