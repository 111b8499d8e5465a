import PgBoss from 'pg-boss';
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '../db/client';
import { describeError } from './errors';

/** A job handler receives the job's validated data. */
export type JobHandler<T = unknown> = (data: T, job: { id: string; name: string }) => Promise<void>;

interface Registration {
	name: string;
	handler: JobHandler<never>;
	parse: (data: unknown) => unknown;
	retryLimit: number;
	retryDelay: number;
	cron?: string;
}

const registry = new Map<string, Registration>();

/** Days a finished job stays in the archive, and a job that never ran stays queued, before deletion. */
export const JOB_RETENTION_DAYS = 7;
let boss: PgBoss | undefined;

/**
 * Declares a job kind. Domains call this at import time; `startJobs` creates the queues and,
 * when working, subscribes the handlers. Data is checked with `parse` (a zod schema's parse).
 */
export function defineJob<T>(
	name: string,
	parse: (data: unknown) => T,
	handler: JobHandler<T>,
	options: { retryLimit?: number; retryDelay?: number; cron?: string } = {}
): void {
	registry.set(name, {
		name,
		parse,
		handler: handler as JobHandler<never>,
		retryLimit: options.retryLimit ?? 5,
		retryDelay: options.retryDelay ?? 5,
		cron: options.cron
	});
}

/** Builds a pg-boss instance on the given database (real PostgreSQL or PGlite through executeSql). */
export function createBoss(database: Database): PgBoss {
	const common = {
		schema: 'pgboss',
		superviseIntervalSeconds: 30,
		migrate: true,
		// Job payloads hold personal data (a mail's address and text): finished jobs move to the archive
		// after an hour and leave it after JOB_RETENTION_DAYS (the privacy page states both).
		archiveCompletedAfterSeconds: 3600,
		archiveFailedAfterSeconds: 3600,
		deleteAfterDays: JOB_RETENTION_DAYS
	} as const;
	// One adapter for both: on PostgreSQL it uses our pool, on PGlite the single embedded connection.
	return new PgBoss({
		...common,
		db: { executeSql: (text: string, values?: unknown[]) => database.query(text, values) }
	});
}

/**
 * Creates every registered queue, or brings an existing one in line with its definition
 * (so that a changed retry policy takes effect on the next start). Idempotent.
 */
async function ensureQueues(b: PgBoss): Promise<void> {
	for (const reg of registry.values()) {
		const wanted = {
			retryLimit: reg.retryLimit,
			retryDelay: reg.retryDelay,
			retryBackoff: true,
			expireInSeconds: 300,
			retentionMinutes: JOB_RETENTION_DAYS * 24 * 60
		};
		const existing = await b.getQueue(reg.name);
		if (!existing) {
			await b.createQueue(reg.name, { name: reg.name, ...wanted });
		} else if (
			existing.retryLimit !== wanted.retryLimit ||
			existing.retryDelay !== wanted.retryDelay ||
			existing.retryBackoff !== wanted.retryBackoff ||
			existing.expireInSeconds !== wanted.expireInSeconds ||
			existing.retentionMinutes !== wanted.retentionMinutes
		) {
			await b.updateQueue(reg.name, { name: reg.name, ...wanted });
		}
	}
}

/**
 * Subscribes the registered handlers on `b`; each job is fetched by exactly one worker (SKIP LOCKED).
 * A worker fetches up to `batchSize` jobs per poll (pg-boss waits a full polling interval after
 * every fetch, so one job per poll would cap a process at one job per interval per queue) and runs
 * them side by side, completing or failing each job on its own: one failure retries only that job.
 */
export async function work(
	b: PgBoss,
	options: { pollingIntervalSeconds?: number; batchSize?: number } = {}
): Promise<void> {
	for (const reg of registry.values()) {
		await b.work(
			reg.name,
			{ pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: options.batchSize ?? 10 },
			async (jobs) => {
				await Promise.all(
					jobs.map(async (job) => {
						try {
							await reg.handler(reg.parse(job.data) as never, { id: job.id, name: job.name });
						} catch (err) {
							await b.fail(reg.name, job.id, err as object);
							return;
						}
						await b.complete(reg.name, job.id);
					})
				);
			}
		);
		if (reg.cron) await b.schedule(reg.name, reg.cron);
	}
}

/** Starts the queue for this process; with `worker: true` it also runs the handlers. */
export async function startJobs(
	database: Database,
	options: { worker: boolean; pollingIntervalSeconds?: number; batchSize?: number }
): Promise<PgBoss> {
	if (boss) return boss;
	const b = createBoss(database);
	b.on('error', (err) => console.error('[jobs]', describeError(err)));
	await b.start();
	await ensureQueues(b);
	if (options.worker) await work(b, options);
	boss = b;
	return b;
}

/** Stops the queue, letting running jobs finish. */
export async function stopJobs(): Promise<void> {
	const b = boss;
	boss = undefined;
	if (b) await b.stop({ graceful: true, wait: true, timeout: 10_000 });
}

/** Enqueues a job (validated against its definition first). */
export async function enqueue(
	name: string,
	data: unknown,
	options: { singletonKey?: string } = {}
): Promise<string | null> {
	const reg = registry.get(name);
	if (!reg) throw new Error(`Unknown job ${name}`);
	if (!boss) throw new Error('Job queue not started');
	return boss.send(name, reg.parse(data) as object, options);
}

/** The running pg-boss instance (tests and admin pages). */
export function currentBoss(): PgBoss | undefined {
	return boss;
}

/** Runs pg-boss's parameterized SQL ($1, $2…) on the caller's transaction. */
function onTransaction(tx: Tx) {
	return {
		async executeSql(text: string, values: unknown[] = []) {
			const chunks = text.split(/\$(\d+)/);
			const parts: SQL[] = chunks.map((chunk, i) =>
				i % 2 === 0 ? sql.raw(chunk) : sql`${values[Number(chunk) - 1] ?? null}`
			);
			const result = await tx.execute(sql.join(parts, sql.raw('')));
			return { rows: (result as unknown as { rows: unknown[] }).rows };
		}
	};
}

/**
 * Enqueues a job in the caller's transaction: it exists if and only if the transaction commits, so a
 * state change and the work it calls for are never separated (a domain may name another's job this way
 * without importing it).
 */
export async function enqueueInTransaction(tx: Tx, name: string, data: unknown): Promise<string | null> {
	const reg = registry.get(name);
	if (!reg) throw new Error(`Unknown job ${name}`);
	if (!boss) throw new Error('Job queue not started');
	return boss.send(name, reg.parse(data) as object, { db: onTransaction(tx) });
}
