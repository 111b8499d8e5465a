import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type PgBoss from 'pg-boss';
import { freshDatabase, onPostgres } from '../../../../tests/db';
import { openDatabase, setDatabase, type Database } from '../db/client';
import { createBoss, currentBoss, defineJob, enqueue, startJobs, stopJobs, work } from './jobs';

// Test job kinds, defined before the queue starts so that startJobs creates their queues.
const workerName = new AsyncLocalStorage<string>();
const runs: { id: string; n: number; worker: string }[] = [];
defineJob(
	'test.record',
	(d) => z.object({ n: z.number().int() }).parse(d),
	async (data, job) => {
		runs.push({ id: job.id, n: data.n, worker: workerName.getStore() ?? 'unknown' });
		await sleep(3);
	}
);

const flakyAttempts: number[] = [];
defineJob(
	'test.flaky',
	(d) => z.object({}).parse(d),
	async () => {
		flakyAttempts.push(Date.now());
		if (flakyAttempts.length < 3) throw new Error(`flaky failure ${flakyAttempts.length}`);
	},
	{ retryLimit: 3, retryDelay: 1 }
);

let brokenAttempts = 0;
defineJob(
	'test.broken',
	(d) => z.object({}).parse(d),
	async () => {
		brokenAttempts++;
		throw new Error('always broken');
	},
	{ retryLimit: 1, retryDelay: 1 }
);

defineJob(
	'test.mixed',
	(d) => z.object({ n: z.number().int() }).parse(d),
	async (data) => {
		if (data.n % 2) throw new Error(`odd ${data.n}`);
	},
	{ retryLimit: 0 }
);

let handle: Awaited<ReturnType<typeof freshDatabase>>;
const workerDatabases: Database[] = [];
const workers: PgBoss[] = [];
const bossErrors: Error[] = [];

beforeAll(async () => {
	handle = await freshDatabase();
	setDatabase(handle.database);
	// This process only enqueues; the two workers below do the work.
	await startJobs(handle.database, { worker: false });
});

afterAll(async () => {
	for (const b of workers) await b.stop({ graceful: true, wait: true, timeout: 5000 });
	await stopJobs();
	for (const d of workerDatabases) await d.close();
	setDatabase(undefined);
	await handle.drop();
});

/** Starts two pg-boss instances; on PostgreSQL each has its own pool, like two separate processes. */
async function startTwoBosses(): Promise<void> {
	for (let i = 0; i < 2; i++) {
		let database = handle.database;
		if (onPostgres) {
			database = await openDatabase({ url: handle.url!, max: 4 });
			workerDatabases.push(database);
		}
		const b = createBoss(database);
		b.on('error', (err) => bossErrors.push(err));
		await b.start();
		workers.push(b);
	}
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await sleep(100);
	}
}

async function jobStates(name: string): Promise<Record<string, number>> {
	const r = await handle.database.query<{ state: string; count: string }>(
		'SELECT state::text AS state, count(*) AS count FROM pgboss.job WHERE name = $1 GROUP BY state',
		[name]
	);
	return Object.fromEntries(r.rows.map((row) => [row.state, Number(row.count)]));
}

describe('enqueue', () => {
	it('validates the data against the job definition before queueing', async () => {
		await expect(enqueue('test.record', { n: 'twelve' })).rejects.toThrow(z.ZodError);
		await expect(enqueue('test.record', {})).rejects.toThrow(z.ZodError);
		await expect(enqueue('no.such.job', {})).rejects.toThrow('Unknown job no.such.job');
		expect(await jobStates('test.record')).toEqual({});

		const id = await enqueue('test.record', { n: 0 });
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		const job = await currentBoss()!.getJobById<{ n: number }>('test.record', id!);
		expect(job?.data).toEqual({ n: 0 });
		expect(job?.state).toBe('created');
		expect(job?.retryLimit).toBe(5);
		await currentBoss()!.cancel('test.record', id!); // keep the next test's count exact
	});
});

describe('startJobs', () => {
	it('brings an existing queue back in line with its definition', async () => {
		await currentBoss()!.updateQueue('test.flaky', { name: 'test.flaky', retryLimit: 9, retryDelay: 60 });
		await stopJobs();
		await startJobs(handle.database, { worker: false });
		const queue = await currentBoss()!.getQueue('test.flaky');
		expect(queue).toMatchObject({ retryLimit: 3, retryDelay: 1, retryBackoff: true, expireInSeconds: 300 });
	});
});

describe('two workers on one queue', () => {
	beforeAll(startTwoBosses);

	it('never hand out the same job to concurrent fetches from two connections', async () => {
		const [a, b] = workers;
		await a.createQueue('test.contended');
		await a.insert(Array.from({ length: 200 }, (_, i) => ({ name: 'test.contended', data: { i } })));
		const fetched: string[] = [];
		for (let round = 0; round < 20 && fetched.length < 200; round++) {
			// 16 fetches in flight at once, half through each instance's own connections.
			const batches = await Promise.all(
				Array.from({ length: 16 }, (_, k) => (k % 2 ? a : b).fetch('test.contended', { batchSize: 5 }))
			);
			for (const jobs of batches) fetched.push(...(jobs ?? []).map((j) => j.id));
		}
		expect(fetched).toHaveLength(200);
		expect(new Set(fetched).size).toBe(200);
		expect(await jobStates('test.contended')).toEqual({ active: 200 });
	});

	it('run each job exactly once, and both take a share', async () => {
		const enqueued = await Promise.all(
			Array.from({ length: 100 }, (_, i) => enqueue('test.record', { n: i + 1 }))
		);
		expect(new Set(enqueued).size).toBe(100);

		// Everything a worker loop does runs in the context it was started in: handlers know their worker.
		await workerName.run('A', () => work(workers[0], { pollingIntervalSeconds: 0.5 }));
		await workerName.run('B', () => work(workers[1], { pollingIntervalSeconds: 0.5 }));
		await waitFor(async () => (await jobStates('test.record')).completed === 100, 20_000);

		expect(runs).toHaveLength(100);
		expect(new Set(runs.map((r) => r.id))).toEqual(new Set(enqueued));
		expect(runs.map((r) => r.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
		const perWorker = { A: 0, B: 0, unknown: 0 } as Record<string, number>;
		for (const r of runs) perWorker[r.worker]++;
		expect(perWorker.unknown).toBe(0);
		expect(perWorker.A + perWorker.B).toBe(100);
		if (onPostgres) {
			// Separate connections really compete for the jobs (SKIP LOCKED hands each to one of them).
			expect(perWorker.A).toBeGreaterThan(0);
			expect(perWorker.B).toBeGreaterThan(0);
		}
		expect(bossErrors).toEqual([]);
	});

	it('retries a failing job with growing delays until it succeeds', async () => {
		const id = (await enqueue('test.flaky', {}))!;
		await waitFor(
			async () => (await currentBoss()!.getJobById('test.flaky', id))?.state === 'completed',
			15_000
		);
		const job = await currentBoss()!.getJobById('test.flaky', id);
		expect(flakyAttempts).toHaveLength(3);
		expect(job?.retryCount).toBe(2);
		// Backoff: about 1–2 s before the first retry, 2–4 s before the second (retryDelay 1 s, doubled).
		const [first, second, third] = flakyAttempts;
		expect(second - first).toBeGreaterThanOrEqual(900);
		expect(third - second).toBeGreaterThanOrEqual(1900);
	});

	it('gives up after the retry limit and keeps the error', async () => {
		const id = (await enqueue('test.broken', {}))!;
		await waitFor(
			async () => (await currentBoss()!.getJobById('test.broken', id))?.state === 'failed',
			10_000
		);
		const job = await currentBoss()!.getJobById('test.broken', id);
		expect(brokenAttempts).toBe(2);
		expect(JSON.stringify(job?.output)).toContain('always broken');
	});

	it('completes or fails each job of a fetched batch on its own', async () => {
		await Promise.all([1, 2, 3, 4, 5, 6].map((n) => enqueue('test.mixed', { n })));
		await waitFor(async () => {
			const s = await jobStates('test.mixed');
			return (s.completed ?? 0) + (s.failed ?? 0) === 6;
		}, 10_000);
		expect(await jobStates('test.mixed')).toEqual({ completed: 3, failed: 3 });
	});
});
