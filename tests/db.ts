// A fresh database per test file: PGlite in memory by default, or a new database on the real
// PostgreSQL server when TEST_DATABASE_URL is set (created here, dropped after the file).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import pg from 'pg';
import { openDatabase, setDatabase, type Database } from '$lib/server/db/client';
import { migrate } from '$lib/server/db/migrate';
import { seedThemes } from '$lib/server/territories';
import { seedCriteria } from '$lib/server/moderation';
import { startJobs, stopJobs } from '$lib/server/platform/jobs';
import { registerJobs } from '$lib/server/app';

/** True when the suite runs against the real PostgreSQL server. */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

function withDatabaseName(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/** Creates an empty database (PostgreSQL) and returns its URL; `dropTestDatabase` removes it. */
export async function createTestDatabaseUrl(): Promise<string> {
	const admin = process.env.TEST_DATABASE_URL!;
	const name = `parvis_test_${process.pid}_${randomBytes(4).toString('hex')}`;
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	await client.query(`CREATE DATABASE ${name}`);
	await client.end();
	return withDatabaseName(admin, name);
}

/** Drops a database made by createTestDatabaseUrl. */
export async function dropTestDatabase(url: string): Promise<void> {
	const name = new URL(url).pathname.slice(1);
	const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL! });
	await client.connect();
	await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await client.end();
}

/** Opens a fresh, migrated database (with default themes); the caller closes it. */
export async function freshDatabase(
	options: { max?: number } = {}
): Promise<{ database: Database; url?: string; drop: () => Promise<void> }> {
	if (onPostgres) {
		const url = await createTestDatabaseUrl();
		const database = await openDatabase({ url, max: options.max ?? 20 });
		await migrate(database);
		await seedThemes(database.db);
		await seedCriteria(database.db);
		return {
			database,
			url,
			drop: async () => {
				await database.close();
				await dropTestDatabase(url);
			}
		};
	}
	const database = await openDatabase({ dataDir: 'memory://' });
	await migrate(database);
	await seedThemes(database.db);
	await seedCriteria(database.db);
	return { database, drop: () => database.close() };
}

/**
 * Gives the calling test file its own database as the process-wide one, with the job queue
 * started (jobs are enqueued; no worker runs unless `worker: true`).
 */
export function useTestDatabase(options: { worker?: boolean; jobs?: boolean } = {}): {
	current: () => Database;
} {
	let handle: Awaited<ReturnType<typeof freshDatabase>> | undefined;
	beforeAll(async () => {
		handle = await freshDatabase();
		setDatabase(handle.database);
		if (options.jobs !== false) {
			registerJobs();
			await startJobs(handle.database, { worker: options.worker ?? false, pollingIntervalSeconds: 0.5 });
		}
	});
	afterAll(async () => {
		await stopJobs();
		setDatabase(undefined);
		await handle?.drop();
	});
	return { current: () => handle!.database };
}
