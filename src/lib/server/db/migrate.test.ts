// New tables refresh the public page cache without a hand-written trigger: migrate() gives every table of
// the public schema lacking one the default trigger (noting the `global` scope), except the untracked and
// covered ones, after the migrations run.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/db';
import { COVERED_TABLES, migrate, migrationsFolder, UNTRACKED_TABLES } from './migrate';

const test = useTestDatabase({ jobs: false });

/** A copy of the migrations with one more, as a later release would bring. */
function foldersWithLaterMigration(): string {
	const dir = join(mkdtempSync(join(tmpdir(), 'parvis-migrations-')), 'drizzle');
	cpSync(migrationsFolder(), dir, { recursive: true });
	const journalPath = join(dir, 'meta', '_journal.json');
	const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
		entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
	};
	const last = journal.entries[journal.entries.length - 1];
	const tag = `${String(last.idx + 1).padStart(4, '0')}_later_tables`;
	journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
	writeFileSync(journalPath, JSON.stringify(journal, null, 2));
	writeFileSync(
		join(dir, `${tag}.sql`),
		'CREATE TABLE "later_things" ("id" serial PRIMARY KEY, "name" text NOT NULL);'
	);
	return dir;
}

async function triggersOn(table: string): Promise<number> {
	const { rows } = await test.current().query<{ n: number }>(
		`SELECT count(*)::int AS n FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		 WHERE c.relname = $1 AND g.tgname = $1 || '_page_scope'`,
		[table]
	);
	return rows[0].n;
}

async function globalChanges(): Promise<number> {
	const { rows } = await test
		.current()
		.query<{ n: number }>(`SELECT count(*)::int AS n FROM page_changes WHERE scope = 'global'`);
	return rows[0].n;
}

describe('migrate() and the page cache’s triggers', () => {
	afterAll(() => {
		delete process.env.PARVIS_MIGRATIONS_DIR;
	});

	it('gives a table created by a later migration the trigger, once, and skips the untracked tables', async () => {
		process.env.PARVIS_MIGRATIONS_DIR = foldersWithLaterMigration();
		expect(await migrate(test.current())).toEqual([expect.stringMatching(/_later_tables$/)]);
		expect(await triggersOn('later_things')).toBe(1);

		const before = await globalChanges();
		await test.current().query(`INSERT INTO later_things (name) VALUES ('a')`);
		expect(await globalChanges()).toBe(before + 1);

		// Idempotent: a second start-up neither fails nor adds a second trigger.
		expect(await migrate(test.current())).toEqual([]);
		expect(await triggersOn('later_things')).toBe(1);
		for (const table of [...UNTRACKED_TABLES, ...COVERED_TABLES])
			expect(await triggersOn(table), table).toBe(0);
	});
});
