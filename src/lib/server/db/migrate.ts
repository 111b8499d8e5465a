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
 * Tables whose writes never concern a public page: they never reach one and are written on many
 * requests (a sign-in, a rate-limited form, the audit log, a mailed link), or are personal (tax
 * receipts, a person's interests), or are the page cache's own change log.
 */
export const UNTRACKED_TABLES = [
	'sessions',
	'rate_limits',
	'audit_log',
	'email_tokens',
	'tax_receipts',
	'user_interests',
	'page_changes'
] as const;

/**
 * Tables whose writes are noted by another table's trigger in the same transaction: ledger entries (and
 * the accounts they create) are written only by ledger.postGroup, together with their group, whose
 * trigger notes the contribution's project (migration 0011).
 */
export const COVERED_TABLES = ['ledger_entries', 'ledger_accounts'] as const;

/**
 * Gives every table of the public schema lacking a `<table>_page_scope` trigger the default one, which
 * notes the `global` scope (every cached public page depends on it; migration 0011), except the
 * untracked and covered tables. A table made by a later migration is thus safe without a hand-written
 * trigger; one written on many requests deserves a narrower trigger (see 0011). Only missing triggers
 * are created: at a start-up with nothing new it takes no lock.
 */
function pageScopeTriggers(): string {
	const skipped = [...UNTRACKED_TABLES, ...COVERED_TABLES].map((t) => `'${t}'`).join(', ');
	return `DO $$
DECLARE t text;
BEGIN
	IF to_regproc('page_scope_global') IS NULL THEN RETURN; END IF;
	FOR t IN
		SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname NOT IN (${skipped})
			AND NOT EXISTS (
				SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = c.relname || '_page_scope')
	LOOP
		EXECUTE format(
			'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.%I '
				|| 'FOR EACH STATEMENT EXECUTE FUNCTION page_scope_global()',
			t || '_page_scope', t);
	END LOOP;
END $$`;
}

/**
 * Applies every pending migration (idempotent; safe at each start-up), attaches the page cache's
 * default trigger to the tables lacking one, and returns the tags of the migrations it applied
 * (empty when the database was up to date).
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
			await client.query(pageScopeTriggers());
			return appliedTags(folder, before, await recorded(run));
		} finally {
			await client.query('SELECT pg_advisory_unlock(727401)').catch(() => {});
			client.release();
		}
	}
	const run: Run = (text) => database.query(text);
	const before = await recorded(run);
	await migratePglite(database.db as unknown as PgliteDatabase, config);
	await database.query(pageScopeTriggers());
	return appliedTags(folder, before, await recorded(run));
}
