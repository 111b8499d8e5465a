import { resolve } from 'node:path';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './client';

/** Folder of the generated SQL migrations. */
export function migrationsFolder(): string {
	return resolve(process.env.PARVIS_MIGRATIONS_DIR || 'drizzle');
}

/** Applies every pending migration (idempotent; safe at each start-up). */
export async function migrate(database: Database): Promise<void> {
	const config = { migrationsFolder: migrationsFolder(), migrationsSchema: 'drizzle' };
	if (database.kind === 'postgres') {
		// Serialize concurrent start-ups of several app instances.
		const client = await database.pool!.connect();
		try {
			await client.query('SELECT pg_advisory_lock(727401)');
			await migratePg(database.db, config);
		} finally {
			await client.query('SELECT pg_advisory_unlock(727401)').catch(() => {});
			client.release();
		}
	} else {
		await migratePglite(database.db as unknown as PgliteDatabase, config);
	}
}
