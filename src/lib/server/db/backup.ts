// Backup and restore of the whole database (npm run backup / npm run restore, scripts/backup.ts).
// PostgreSQL: pg_dump's custom format and pg_restore. Embedded PGlite: a gzipped tarball of the data
// directory made by PGlite's dumpDataDir, which needs the directory to itself (one process per
// directory), so a running app must be stopped first: openDatabase refuses a directory in use.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database } from './client';

/** Writes a consistent copy of the embedded database in `dataDir` to `file`; returns its size in bytes. */
export async function backupEmbedded(dataDir: string, file: string): Promise<number> {
	const database = await openDatabase({ dataDir });
	try {
		const archive = await database.pglite!.dumpDataDir('gzip');
		const bytes = Buffer.from(await archive.arrayBuffer());
		writeFileSync(file, bytes);
		return bytes.length;
	} finally {
		await database.close();
	}
}

/** Creates the embedded database in `dataDir` from a backup file; refuses a directory that has one. */
export async function restoreEmbedded(file: string, dataDir: string): Promise<void> {
	const pgdata = join(dataDir, 'pgdata');
	if (existsSync(pgdata) && readdirSync(pgdata).length > 0)
		throw new Error(
			`${pgdata} already holds a database. Restore into a new PARVIS_DATA_DIR, or move this one aside first.`
		);
	const database = await openDatabase({ dataDir, loadDataDir: new Blob([readFileSync(file)]) });
	try {
		await database.query('SELECT 1');
	} finally {
		await database.close();
	}
}

function run(command: string, args: string[]): void {
	const r = spawnSync(command, args, { encoding: 'utf8' });
	if (r.error)
		throw new Error(`${command} could not run (${r.error.message}): install the PostgreSQL client tools.`);
	if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr.trim() || `exit ${r.status}`}`);
}

/** pg_dump in the custom format (`-Fc`), which pg_restore reads back. */
export function backupPostgres(url: string, file: string): void {
	run('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${url}`]);
}

/** pg_restore into an empty database (refused when it already has Parvis tables). */
export async function restorePostgres(file: string, url: string): Promise<void> {
	const database = await openDatabase({ url, max: 1 });
	try {
		const { rows } = await database.query<{ t: string | null }>(
			`SELECT to_regclass('public.users')::text AS t`
		);
		if (rows[0]?.t)
			throw new Error('The target database is not empty. Restore into a new one (createdb parvis_restored).');
	} finally {
		await database.close();
	}
	run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${url}`, file]);
}

/**
 * A consistent copy of the embedded database while the app keeps running (the admin download): the
 * copy is taken between transactions (PGlite's transaction lock is held, so none is half-done) after a
 * checkpoint. Restored with restoreEmbedded or `npm run restore`.
 */
export async function onlineBackupEmbedded(database: Database): Promise<Buffer> {
	const pglite = database.pglite;
	if (!pglite) throw new Error('online backup is for the embedded database; use pg_dump on PostgreSQL');
	await pglite.exec('CHECKPOINT');
	const archive = await pglite.transaction(() => pglite.dumpDataDir('gzip'));
	return Buffer.from(await archive.arrayBuffer());
}
