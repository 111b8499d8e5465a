// npm run ledger:check — verifies the ledger's invariants on DATABASE_URL or the embedded database
// (PARVIS_DATA_DIR, refused while the app holds it). Exits 1 and lists the problems when one breaks.
import { openDatabase, optionsFromEnv } from '../src/lib/server/db/client';
import { migrate } from '../src/lib/server/db/migrate';
import { checkLedger } from '../src/lib/server/ledger';

async function main(): Promise<number> {
	let database;
	try {
		database = await openDatabase(optionsFromEnv());
	} catch (e) {
		console.error(`[ledger:check] ${(e as Error).message}`);
		return 2;
	}
	try {
		await migrate(database);
		const problems = await checkLedger(database.db);
		if (problems.length) {
			console.error(`[ledger:check] ${problems.length} problem(s):`);
			for (const p of problems) console.error(`  - ${p}`);
			return 1;
		}
		const [{ groups, entries }] = (
			await database.query<{ groups: number; entries: number }>(
				'SELECT (SELECT count(*)::int FROM ledger_groups) AS groups, (SELECT count(*)::int FROM ledger_entries) AS entries'
			)
		).rows;
		console.log(
			`[ledger:check] ok: ${groups} balanced group(s), ${entries} entries, no over-refund, no negative campaign.`
		);
		return 0;
	} finally {
		await database.close();
	}
}

process.exitCode = await main();
