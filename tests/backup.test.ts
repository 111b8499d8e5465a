// Backup and restore round trip through the real commands (npm run backup / npm run restore): demo data,
// a backup, a restore into a fresh database, then every table's row count and the ledger compared.
// On PGlite in the PGlite pass, on the PostgreSQL server (pg_dump -Fc / pg_restore) in the PostgreSQL pass.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, setDatabase, type Database } from '$lib/server/db/client';
import { migrate } from '$lib/server/db/migrate';
import { seedThemes } from '$lib/server/territories';
import { seedCriteria } from '$lib/server/moderation';
import { registerJobs } from '$lib/server/app';
import { startJobs, stopJobs } from '$lib/server/platform/jobs';
import { loadDemoIfEmpty } from '$lib/server/demo';
import { checkLedger } from '$lib/server/ledger';
import { restoreEmbedded } from '$lib/server/db/backup';
import { downloadBackup } from '$lib/server/platform/backup';
import { AppError } from '$lib/server/platform/errors';
import { users } from '$lib/server/accounts/schema';
import { buildUser } from './factories/accounts';
import { createTestDatabaseUrl, dropTestDatabase, freshDatabase, onPostgres } from './db';

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

const codeOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => (e instanceof AppError ? e.code : String(e))
	);

describe("the administrators' download of the running database", () => {
	it(
		onPostgres
			? 'is not offered on PostgreSQL (pg_dump is the way)'
			: 'copies it while it runs, between transactions',
		async () => {
			const handle = await freshDatabase();
			setDatabase(handle.database);
			try {
				const { actor: admin } = await buildUser({ isAdmin: true });
				const { actor: someone } = await buildUser();
				expect(await codeOf(downloadBackup(null, null))).toBe('unauthenticated');
				expect(await codeOf(downloadBackup(someone, null))).toBe('forbidden');
				if (onPostgres) {
					expect(await codeOf(downloadBackup(admin, null))).toBe('not_found');
					return;
				}
				const before = await rowCounts(handle.database);
				// A two-row transaction runs alongside: the copy has both rows or neither.
				const [backup] = await Promise.all([
					downloadBackup(admin, '192.0.2.1'),
					handle.database.db.transaction(async (tx) => {
						for (let i = 0; i < 2; i++)
							await tx
								.insert(users)
								.values({ email: `pair-${i}-${randomUUID()}@example.org`, displayName: 'Pair' });
					})
				]);
				expect(backup.filename).toMatch(/^parvis-backup-.+\.tar\.gz$/);
				const file = join(mkdtempSync(join(tmpdir(), 'parvis-online-')), backup.filename);
				writeFileSync(file, backup.bytes);
				const dir = mkdtempSync(join(tmpdir(), 'parvis-online-dst-'));
				await restoreEmbedded(file, dir);
				const copy = await openDatabase({ dataDir: dir });
				try {
					const counts = await rowCounts(copy);
					expect([before['public.users'], before['public.users'] + 2]).toContain(counts['public.users']);
					expect(counts['public.themes']).toBe(before['public.themes']);
					expect(counts['public.criteria']).toBe(before['public.criteria']);
				} finally {
					await copy.close();
				}
				// The download itself is in the audit log.
				const logged = await handle.database.query(
					`SELECT 1 FROM audit_log WHERE action = 'platform.backup_downloaded' AND actor_id = $1`,
					[admin.id]
				);
				expect(logged.rows).toHaveLength(1);
			} finally {
				setDatabase(undefined);
				await handle.drop();
			}
		},
		120_000
	);
});
