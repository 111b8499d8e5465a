import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './client';

/** Folder of the generated SQL migrations. */
export function migrationsFolder(): string {
	return resolve(process.env.PARVIS_MIGRATIONS_DIR || 'drizzle');
}

type Run = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** The `created_at` (journal `when`) of every migration already recorded in the database. */
async function recorded(run: Run): Promise<Set<number>> {
	const exists = await run(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS "exists"`);
	if (!exists.rows[0]?.exists) return new Set();
	const r = await run('SELECT created_at FROM drizzle.__drizzle_migrations');
	return new Set(r.rows.map((row) => Number(row.created_at)));
}

/** Tags of the journal entries recorded between `before` and `after`, in order. */
function appliedTags(folder: string, before: Set<number>, after: Set<number>): string[] {
	const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
		entries: { when: number; tag: string }[];
	};
	return journal.entries.filter((e) => after.has(e.when) && !before.has(e.when)).map((e) => e.tag);
}

/**
 * Applies every pending migration (idempotent; safe at each start-up) and returns the tags of
 * the migrations it applied (empty when the database was up to date).
 */
export async function migrate(database: Database): Promise<string[]> {
	const folder = migrationsFolder();
	const config = { migrationsFolder: folder, migrationsSchema: 'drizzle' };
	if (database.kind === 'postgres') {
		// Serialize concurrent start-ups of several app instances. The migrations run on the very
		// connection that holds the advisory lock (a second connection would deadlock a pool of one).
		const client = await database.pool!.connect();
		const run: Run = (text) => client.query(text);
		try {
			await client.query('SELECT pg_advisory_lock(727401)');
			const before = await recorded(run);
			await migratePg(drizzlePg(client), config);
			return appliedTags(folder, before, await recorded(run));
		} finally {
			await client.query('SELECT pg_advisory_unlock(727401)').catch(() => {});
			client.release();
		}
	}
	const run: Run = (text) => database.query(text);
	const before = await recorded(run);
	await migratePglite(database.db as unknown as PgliteDatabase, config);
	return appliedTags(folder, before, await recorded(run));
}
