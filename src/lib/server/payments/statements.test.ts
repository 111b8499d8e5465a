// The SQL a donation by the test method sends, counted at the driver (the pg Pool and the clients it hands
// out, or PGlite and its transactions), BEGIN and COMMIT included where the driver sees them: donate()
// then completePayment() on a keep-it-all campaign, the donor's mail queued. A bound, so that a statement
// added on this path (a loop of queries, a re-read of what was just written) shows up here.
// docs/performance/money.md lists the statements.
import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import type { Database } from '../db/client';
import type { Actor } from '../accounts';
import { addNeed } from '../needs';
import { campaignBalances, checkLedger } from '../ledger';
import { donate, completePayment } from './index';

process.env.PARVIS_PAYMENTS_TEST = '1';
const test = useTestDatabase();

type AnyFn = (...args: never[]) => unknown;

/** Marks the calls made on behalf of the recorded function (not the queue's own timers meanwhile). */
const recording = new AsyncLocalStorage<boolean>();

/** Runs `fn` while recording the statements the driver receives for it; returns their SQL texts in order. */
async function recordQueries(fn: () => Promise<unknown>): Promise<string[]> {
	const database: Database = test.current();
	const seen: string[] = [];
	const restore: (() => void)[] = [];
	const textOf = (q: unknown) =>
		typeof q === 'string' ? q : String((q as { text?: string } | null)?.text ?? '(query object)');
	const patch = (target: object, name: string, after?: (result: unknown) => unknown) => {
		const holder = target as Record<string, AnyFn>;
		const original = holder[name];
		if (typeof original !== 'function') return;
		const hadOwn = Object.prototype.hasOwnProperty.call(target, name);
		holder[name] = function (this: unknown, ...args: unknown[]) {
			if ((name === 'query' || name === 'exec') && recording.getStore()) seen.push(textOf(args[0]));
			const result = (original as (...a: unknown[]) => unknown).apply(this, args);
			return after ? after(result) : result;
		} as AnyFn;
		restore.push(() => {
			if (hadOwn) holder[name] = original;
			else delete holder[name];
		});
	};
	if (database.pool) {
		patch(database.pool, 'query');
		patch(database.pool, 'connect', (result) =>
			result instanceof Promise
				? result.then((client: object) => {
						patch(client, 'query');
						return client;
					})
				: result
		);
	}
	if (database.pglite) {
		const pglite = database.pglite;
		patch(pglite, 'query');
		patch(pglite, 'exec');
		const originalTransaction = pglite.transaction;
		pglite.transaction = ((callback: (tx: object) => Promise<unknown>) =>
			originalTransaction.call(pglite, (tx) => {
				// PGlite sends BEGIN and COMMIT itself, unseen here: count them as PostgreSQL's driver does.
				if (recording.getStore()) seen.push('BEGIN');
				patch(tx, 'query');
				patch(tx, 'exec');
				return callback(tx).then((r) => {
					if (recording.getStore()) seen.push('COMMIT');
					return r;
				});
			})) as typeof pglite.transaction;
		restore.push(() => {
			pglite.transaction = originalTransaction;
		});
	}
	try {
		await recording.run(true, fn);
	} finally {
		for (const undo of restore.reverse()) undo();
	}
	return seen;
}

let donor: Actor;
let needId: string;

beforeAll(async () => {
	const owner = (await buildUser()).actor;
	const admin = (await buildUser({ isAdmin: true })).actor;
	donor = (await buildUser({ displayName: 'Dora Donatrice' })).actor;
	const t = await buildTerritory();
	const p = await buildProject(owner, t.id, { title: 'Jardin des statements' });
	const need = await addNeed(owner, p.id, {
		kind: 'money',
		title: 'Fonds',
		goalMinor: '1000',
		currency: 'EUR',
		campaignModel: 'keep_it_all',
		deadline: `${new Date().getFullYear() + 1}-12-31`
	} as never);
	needId = need.id;
	await publishProject(owner, admin, p.id);
});

async function giveOnce(euros: number, tip: number) {
	const { contributionId } = await donate(donor, needId, {
		amountMinor: String(euros),
		tipMinor: tip ? String(tip) : '',
		anonymous: false,
		message: 'Merci !',
		method: 'test',
		idempotencyKey: randomUUID()
	});
	const outcome = await completePayment({
		contributionId,
		providerEvent: `test:${contributionId}`,
		outcome: 'succeeded',
		amountMinor: (euros + tip) * 100,
		currency: 'EUR'
	});
	expect(outcome).toBe('credited');
}

/** The kind of each statement: its first words (e.g. `select`, `with gift as ( insert into contributions`). */
const shape = (statement: string) =>
	statement.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim().toLowerCase();

describe('a donation by the test method', () => {
	it('is 5 statements and no explicit transaction: read, gift + audit, read, status + ledger group, mail', async () => {
		// The first gifts to a campaign meet its accounts (created by the first, remembered from the second).
		await giveOnce(10, 1);
		await giveOnce(10, 1);
		const statements = (await recordQueries(() => giveOnce(20, 2))).map(shape);
		expect(statements, statements.join('\n')).toHaveLength(5);
		expect(statements[0]).toMatch(/^select .* from needs n join projects p .* left join contributions c /);
		expect(statements[1]).toMatch(
			/^with gift as \(insert into contributions .* logged as \(insert into audit_log /
		);
		expect(statements[2]).toMatch(/^select .* from contributions c join needs n .* join users u /);
		expect(statements[3]).toMatch(
			/^with guard as \(update contributions .*\), g as \(insert into ledger_groups .*insert into ledger_entries .*\(values \(.*\), \(.*\), \(.*\)\) as v /
		);
		expect(statements[4]).toMatch(/^insert into pgboss\.job \(/);
		expect(statements.some((s) => /^(begin|commit)/.test(s))).toBe(false);
		expect((await campaignBalances(test.current().db, [needId])).get(needId)).toBe(4000);
		expect(await checkLedger(test.current().db)).toEqual([]);
	});

	it('the first gift to a new campaign resolves its accounts in one more statement', async () => {
		const t = await buildTerritory();
		const owner = (await buildUser()).actor;
		const admin = (await buildUser({ isAdmin: true })).actor;
		const p = await buildProject(owner, t.id, { title: 'Nouvelle campagne' });
		const need = await addNeed(owner, p.id, {
			kind: 'money',
			title: 'Fonds',
			goalMinor: '1000',
			currency: 'EUR',
			campaignModel: 'keep_it_all',
			deadline: `${new Date().getFullYear() + 1}-12-31`
		} as never);
		await publishProject(owner, admin, p.id);
		needId = need.id;
		const statements = (await recordQueries(() => giveOnce(30, 3))).map(shape);
		expect(statements, statements.join('\n')).toHaveLength(6);
		expect(statements[3]).toMatch(
			/^with wanted \(kind, ref_id, currency\) as \(values .*insert into ledger_accounts /
		);
		expect((await campaignBalances(test.current().db, [needId])).get(needId)).toBe(3000);
	});
});
