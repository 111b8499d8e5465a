// Backup and restore round trip through the real commands (npm run backup / npm run restore): demo data,
// a backup, a restore into a fresh database, then every table's row count and the ledger compared.
// On PGlite in the PGlite pass, on the PostgreSQL server (pg_dump -Fc / pg_restore) in the PostgreSQL pass.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, setDatabase, type Database } from '$lib/server/db/client';
import { migrate } from '$lib/server/db/migrate';
import { seedThemes } from '$lib/server/territories';
import { seedCriteria } from '$lib/server/moderation';
import { registerJobs } from '$lib/server/jobs';
import { startJobs, stopJobs } from '$lib/server/platform/jobs';
import { loadDemoIfEmpty } from '$lib/server/demo/seed';
import { checkLedger } from '$lib/server/ledger';
import { createTestDatabaseUrl, dropTestDatabase, onPostgres } from './db';

interface Target {
	dataDir: string;
	url?: string;
}

/** Runs `scripts/backup.ts <command> <file>` against a target, as npm run backup/restore would. */
function cli(command: 'backup' | 'restore', file: string, target: Target) {
	const env: Record<string, string | undefined> = { ...process.env, PARVIS_DATA_DIR: target.dataDir };
	if (target.url) env.DATABASE_URL = target.url;
	else delete env.DATABASE_URL;
	return spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/backup.ts', command, file], {
		env,
		encoding: 'utf8',
		timeout: 180_000
	});
}

const open = (t: Target) => openDatabase(t.url ? { url: t.url } : { dataDir: t.dataDir });

/** Row counts of every table in the public and pgboss schemas. */
async function rowCounts(database: Database): Promise<Record<string, number>> {
	const { rows } = await database.query<{ schema: string; name: string }>(
		`SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
		 WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE' ORDER BY 1, 2`
	);
	const counts: Record<string, number> = {};
	for (const t of rows) {
		const r = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}"`);
		counts[`${t.schema}.${t.name}`] = Number(r.rows[0].n);
	}
	return counts;
}

const ledger = async (database: Database) =>
	(
		await database.query(
			`SELECT e.*, g.kind, g.provider_event, g.memo FROM ledger_entries e JOIN ledger_groups g ON g.id = e.group_id
			 ORDER BY e.id`
		)
	).rows;

describe(`backup and restore (${onPostgres ? 'PostgreSQL: pg_dump -Fc / pg_restore' : 'embedded PGlite'})`, () => {
	it('restores the demo data into a fresh database, every table and the ledger identical', async () => {
		process.env.PARVIS_PAYMENTS_TEST = '1';
		const source: Target = {
			dataDir: mkdtempSync(join(tmpdir(), 'parvis-backup-src-')),
			url: onPostgres ? await createTestDatabaseUrl() : undefined
		};
		const restored: Target = {
			dataDir: mkdtempSync(join(tmpdir(), 'parvis-backup-dst-')),
			url: onPostgres ? await createTestDatabaseUrl() : undefined
		};
		const file = join(mkdtempSync(join(tmpdir(), 'parvis-backup-file-')), 'backup');
		try {
			const database = await open(source);
			setDatabase(database);
			await migrate(database);
			await seedThemes(database.db);
			await seedCriteria(database.db);
			registerJobs();
			await startJobs(database, { worker: false });
			expect(await loadDemoIfEmpty(database.db)).toBe(true);
			await stopJobs();

			if (!onPostgres) {
				// While the directory is open (here: by this process, as by a running app), backup refuses.
				const busy = cli('backup', file, source);
				expect(busy.status).toBe(1);
				expect(busy.stderr).toContain('in use');
				expect(busy.stderr).toContain('stop it');
			}
			setDatabase(undefined);
			await database.close();

			const backup = cli('backup', file, source);
			expect(backup.stderr).toBe('');
			expect(backup.status).toBe(0);
			const restore = cli('restore', file, restored);
			expect(restore.stderr).toBe('');
			expect(restore.status).toBe(0);
			// A second restore over the restored database is refused: a restore never overwrites.
			const again = cli('restore', file, restored);
			expect(again.status).toBe(1);

			const a = await open(source);
			const b = await open(restored);
			try {
				const countsA = await rowCounts(a);
				expect(countsA['public.projects']).toBeGreaterThanOrEqual(10);
				expect(countsA['public.ledger_entries']).toBeGreaterThan(0);
				expect(await rowCounts(b)).toEqual(countsA);
				expect(await ledger(b)).toEqual(await ledger(a));
				expect(await checkLedger(b.db)).toEqual([]);
			} finally {
				await a.close();
				await b.close();
			}
		} finally {
			if (source.url) await dropTestDatabase(source.url);
			if (restored.url) await dropTestDatabase(restored.url);
		}
	}, 300_000);
});
