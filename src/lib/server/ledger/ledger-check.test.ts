import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, setDatabase } from '../db/client';
import { migrate } from '../db/migrate';
import { seedThemes } from '../territories';
import { seedCriteria } from '../moderation';
import { registerJobs } from '../app';
import { startJobs, stopJobs } from '../platform/jobs';
import { loadDemoIfEmpty } from '../demo';
import { checkLedger } from './index';

import { createTestDatabaseUrl, dropTestDatabase, onPostgres } from '../../../../tests/db';

/** Runs the real script against the embedded directory, or the PostgreSQL database in the PostgreSQL pass. */
function ledgerCheck(target: { dataDir: string; url?: string }) {
	const env: Record<string, string | undefined> = { ...process.env, PARVIS_DATA_DIR: target.dataDir };
	if (target.url) env.DATABASE_URL = target.url;
	else delete env.DATABASE_URL;
	return spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/ledger-check.ts'], {
		env,
		encoding: 'utf8',
		timeout: 120_000
	});
}

describe('npm run ledger:check', () => {
	it('is green on the demo data and red on a deliberately broken copy', async () => {
		process.env.PARVIS_PAYMENTS_TEST = '1';
		const dir = mkdtempSync(join(tmpdir(), 'parvis-ledger-'));
		const url = onPostgres ? await createTestDatabaseUrl() : undefined;
		const target = { dataDir: dir, url };
		const database = await openDatabase(url ? { url } : { dataDir: dir });
		setDatabase(database);
		await migrate(database);
		await seedThemes(database.db);
		await seedCriteria(database.db);
		registerJobs();
		await startJobs(database, { worker: false });
		expect(await loadDemoIfEmpty(database.db)).toBe(true);
		const [{ n }] = (
			await database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_groups`)
		).rows;
		expect(Number(n)).toBeGreaterThanOrEqual(4);
		expect(await checkLedger(database.db)).toEqual([]);
		await stopJobs();
		setDatabase(undefined);
		await database.close();

		const green = ledgerCheck(target);
		expect(green.stdout + green.stderr).toContain('ok:');
		expect(green.status).toBe(0);

		// Break it the way only a direct database edit could: the guards are switched off for this.
		const copy = await openDatabase(url ? { url } : { dataDir: dir });
		await copy.db.execute(sql`ALTER TABLE ledger_entries DISABLE TRIGGER ALL`);
		await copy.db.execute(sql`INSERT INTO ledger_entries (group_id, account_id, amount_minor, currency)
			SELECT group_id, account_id, 999, currency FROM ledger_entries LIMIT 1`);
		await copy.close();
		const red = ledgerCheck(target);
		expect(red.status).toBe(1);
		expect(red.stderr).toContain('does not balance');
		if (url) await dropTestDatabase(url);
	}, 240_000);
});
