import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabaseUrl, dropTestDatabase, onPostgres } from '../../../../tests/db';
import { DirectoryInUseError, openDatabase, type Database } from './client';
import { migrate } from './migrate';

const root = mkdtempSync(join(tmpdir(), 'parvis-lock-'));
// One data directory for the lock tests: creating one (initdb) is slow, reopening it is fast.
const dir = join(root, 'data');
const lock = join(dir, 'parvis.lock');
const opened: Database[] = [];

beforeAll(async () => {
	const d = await openDatabase({ dataDir: dir });
	await d.db.execute(sql`CREATE TABLE kept (v text)`);
	await d.db.execute(sql`INSERT INTO kept VALUES ('still here')`);
	await d.close();
});

afterEach(() => {
	expect(existsSync(lock), 'each test leaves the directory unlocked').toBe(false);
});

afterAll(async () => {
	for (const d of opened) await d.close().catch(() => {});
});

async function open(dataDir: string): Promise<Database> {
	const d = await openDatabase({ dataDir });
	opened.push(d);
	return d;
}

async function refusal(dataDir: string): Promise<Error> {
	return openDatabase({ dataDir }).then(
		(d) => {
			opened.push(d);
			throw new Error('expected the directory to be refused');
		},
		(e: Error) => e
	);
}

/** Runs a script with tsx in a child process; resolves with its exit code and output. */
function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', script], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		child.stdout.on('data', (c) => (out += c));
		child.stderr.on('data', (c) => (out += c));
		child.on('close', (code) => resolve({ code, out }));
	});
}

describe('PGlite data directory lock', () => {
	it('holds a lock file with our pid while open, keeps the data, and removes the lock on close', async () => {
		const d = await open(dir);
		expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
		expect((await d.query<{ v: string }>('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
		await d.close();
		expect(existsSync(lock)).toBe(false);
		expect(readdirSync(dir).filter((f) => f.startsWith('parvis.lock'))).toEqual([]);
	});

	it('refuses a directory locked by another live process, and says which and why', async () => {
		// Our parent (the Vitest runner) is alive and is not us.
		writeFileSync(lock, String(process.ppid));
		const e = await refusal(dir);
		expect(e).toBeInstanceOf(DirectoryInUseError);
		expect(e.name).toBe('DirectoryInUseError');
		expect(e.message).toContain(`in use by process ${process.ppid}`);
		expect(e.message).toContain('only one process may open a PGlite directory');
		// The other process's lock is left alone.
		expect(readFileSync(lock, 'utf8')).toBe(String(process.ppid));
		rmSync(lock);
	});

	it('refuses a second open of the same directory in this process', async () => {
		const d = await open(dir);
		const e = await refusal(dir);
		expect(e).toBeInstanceOf(DirectoryInUseError);
		expect(e.message).toContain('already open in this process');
		// The first handle still works and still owns the lock.
		expect((await d.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
		expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
		await d.close();
	});

	it('reclaims a stale lock left by a process that died', async () => {
		writeFileSync(lock, '999999');
		const d = await open(dir);
		expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
		expect((await d.query<{ v: string }>('SELECT v FROM kept')).rows).toHaveLength(1);
		await d.close();
	});

	it('reclaims a lock holding our own pid that we do not hold (a restarted container reuses pids)', async () => {
		writeFileSync(lock, String(process.pid));
		const d = await open(dir);
		expect((await d.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
		await d.close();
	});

	it('makes `npm run db:migrate` refuse, with exit code 1, a directory this process has open', async () => {
		const d = await open(dir);
		const { code, out } = await runScript('scripts/db-migrate.ts', {
			PARVIS_DATA_DIR: dir,
			DATABASE_URL: ''
		});
		expect(code).toBe(1);
		expect(out).toContain(`in use by process ${process.pid}`);
		expect(out).toContain('Nothing was changed');
		// The migration did not run behind our back: no migrations table in our database.
		expect(
			(await d.query<{ t: string | null }>(`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`))
				.rows
		).toEqual([{ t: null }]);
		await d.close();

		// Once released, the same command migrates the directory and says what it applied.
		const ok = await runScript('scripts/db-migrate.ts', { PARVIS_DATA_DIR: dir, DATABASE_URL: '' });
		expect(ok.code).toBe(0);
		expect(ok.out).toContain('applied 0000_init');
	});
});

describe('migrate', () => {
	it('applies every migration once and reports what it applied', async () => {
		const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
			entries: { tag: string }[];
		};
		const all = journal.entries.map((e) => e.tag);
		// On PostgreSQL, a pool of one connection: the migration must run on the connection that
		// holds the advisory lock, or it waits for itself forever.
		const url = onPostgres ? await createTestDatabaseUrl() : undefined;
		const d = await openDatabase(url ? { url, max: 1 } : { dataDir: 'memory://' });
		try {
			expect(await migrate(d)).toEqual(all);
			expect(await migrate(d)).toEqual([]);
			const r = await d.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
			expect(Number(r.rows[0].n)).toBe(all.length);
		} finally {
			await d.close();
			if (url) await dropTestDatabase(url);
		}
	});
});
