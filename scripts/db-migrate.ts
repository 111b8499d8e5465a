// `npm run db:migrate`: applies the pending migrations to DATABASE_URL, or to the embedded database
// in PARVIS_DATA_DIR (default ./data). Refuses to touch an embedded directory another process has open.
import {
	DirectoryInUseError,
	dataDir,
	openDatabase,
	optionsFromEnv,
	type Database
} from '$lib/server/db/client';
import { migrate, migrationsFolder } from '$lib/server/db/migrate';

const options = optionsFromEnv();
const target = options.url ? `PostgreSQL (${redact(options.url)})` : `the embedded database in ${dataDir()}`;

/** The URL without its password, for logs. */
function redact(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return 'DATABASE_URL';
	}
}

let database: Database;
try {
	database = await openDatabase(options);
} catch (e) {
	if (e instanceof DirectoryInUseError) {
		console.error(`[db:migrate] ${e.message}`);
		console.error('[db:migrate] Nothing was changed. (A running app applies migrations itself at start-up.)');
	} else {
		console.error(`[db:migrate] Cannot open ${target}:`, (e as Error).message);
	}
	process.exit(1);
}

try {
	console.log(`[db:migrate] Migrating ${target} from ${migrationsFolder()}`);
	const applied = await migrate(database);
	if (applied.length) {
		for (const tag of applied) console.log(`[db:migrate] applied ${tag}`);
		console.log(`[db:migrate] ${applied.length} migration(s) applied.`);
	} else {
		console.log('[db:migrate] Already up to date: nothing to apply.');
	}
} catch (e) {
	console.error('[db:migrate] Migration failed:', (e as Error).message);
	process.exitCode = 1;
} finally {
	await database.close();
}
