import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { postGroup, campaignBalances, checkLedger } from './index';

useTestDatabase({ jobs: false });

const gift = (needId: string, contributionId: string, amount: number, tip: number, event: string) => ({
	kind: 'gift' as const,
	contributionId,
	providerEvent: event,
	entries: [
		{ account: { kind: 'provider_clearing' as const, currency: 'EUR' }, amountMinor: -(amount + tip) },
		{ account: { kind: 'campaign' as const, refId: needId, currency: 'EUR' }, amountMinor: amount },
		...(tip ? [{ account: { kind: 'platform_tips' as const, currency: 'EUR' }, amountMinor: tip }] : [])
	]
});

describe('ledger', () => {
	it('writes balanced groups and derives balances; a provider event is credited once', async () => {
		const need = randomUUID();
		const c1 = randomUUID();
		expect(await db().transaction((tx) => postGroup(tx, gift(need, c1, 2500, 250, 'test:1')))).not.toBeNull();
		expect(await db().transaction((tx) => postGroup(tx, gift(need, c1, 2500, 250, 'test:1')))).toBeNull();
		await db().transaction((tx) => postGroup(tx, gift(need, randomUUID(), 1000, 0, 'test:2')));
		expect((await campaignBalances(db(), [need])).get(need)).toBe(3500);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('refuses unbalanced groups and zero amounts', async () => {
		const e = await db()
			.transaction((tx) =>
				postGroup(tx, {
					kind: 'gift',
					entries: [{ account: { kind: 'platform_tips', currency: 'EUR' }, amountMinor: 100 }]
				})
			)
			.catch((x) => x);
		expect((e as AppError).messageKey).toBe('ledger_error_unbalanced');
		const z = await db()
			.transaction((tx) =>
				postGroup(tx, {
					kind: 'gift',
					entries: [{ account: { kind: 'platform_tips', currency: 'EUR' }, amountMinor: 0 }]
				})
			)
			.catch((x) => x);
		expect((z as AppError).messageKey).toBe('ledger_error_amount');
	});

	it('is append-only and balanced at commit, even for raw SQL', async () => {
		await expect(
			db().execute(sql`UPDATE ledger_entries SET amount_minor = amount_minor + 1`)
		).rejects.toThrow();
		await expect(db().execute(sql`DELETE FROM ledger_groups`)).rejects.toThrow();
		const groupId = randomUUID();
		await expect(
			db().transaction(async (tx) => {
				await tx.execute(sql`INSERT INTO ledger_groups (id, kind) VALUES (${groupId}, 'correction')`);
				await tx.execute(
					sql`INSERT INTO ledger_accounts (kind, currency) VALUES ('fees', 'EUR') ON CONFLICT DO NOTHING`
				);
				await tx.execute(sql`INSERT INTO ledger_entries (group_id, account_id, amount_minor, currency)
					SELECT ${groupId}, id, 5, 'EUR' FROM ledger_accounts WHERE kind = 'fees' LIMIT 1`);
			})
		).rejects.toThrow();
		expect(await checkLedger(db())).toEqual([]);
	});

	it('finds each account once: parallel first postings share it, a rolled-back creation is not remembered', async () => {
		// Ten first gifts to a new campaign at once: one campaign account, ten balanced groups.
		const need = randomUUID();
		await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				db().transaction((tx) => postGroup(tx, gift(need, randomUUID(), 100, i % 2 ? 10 : 0, `test:p${i}`)))
			)
		);
		const accounts = await db().execute<{ n: number }>(
			sql`SELECT count(*)::int AS n FROM ledger_accounts WHERE kind = 'campaign' AND ref_id = ${need}`
		);
		expect(accounts.rows[0].n).toBe(1);
		expect((await campaignBalances(db(), [need])).get(need)).toBe(1000);

		// An account created by a transaction that rolls back (posted to twice in it) is gone: the next
		// posting creates it again instead of pointing at a row that does not exist.
		const other = randomUUID();
		await expect(
			db().transaction(async (tx) => {
				await postGroup(tx, gift(other, randomUUID(), 100, 0, 'test:rb1'));
				await postGroup(tx, gift(other, randomUUID(), 100, 0, 'test:rb2'));
				throw new Error('rolled back');
			})
		).rejects.toThrow('rolled back');
		expect(await postGroup(db(), gift(other, randomUUID(), 300, 0, 'test:rb3'))).not.toBeNull();
		expect(await postGroup(db(), gift(other, randomUUID(), 200, 0, 'test:rb4'))).not.toBeNull();
		expect((await campaignBalances(db(), [other])).get(other)).toBe(500);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('ledger check reports over-refunds and negative campaigns', async () => {
		const need = randomUUID();
		const c = randomUUID();
		await db().transaction((tx) => postGroup(tx, gift(need, c, 1000, 0, 'test:r1')));
		await db().transaction((tx) =>
			postGroup(tx, {
				kind: 'refund',
				contributionId: c,
				entries: [
					{ account: { kind: 'campaign', refId: need, currency: 'EUR' }, amountMinor: -1500 },
					{ account: { kind: 'provider_clearing', currency: 'EUR' }, amountMinor: 1500 }
				]
			})
		);
		const problems = await checkLedger(db());
		expect(problems.some((p) => p.includes('refunded more'))).toBe(true);
		expect(problems.some((p) => p.includes('below zero'))).toBe(true);
	});
});
