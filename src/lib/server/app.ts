// The app's composition root: the one module that knows every domain. It starts an app process (the
// SvelteKit server through hooks.server.ts, the standalone worker through scripts/worker.ts) and registers
// every job kind. platform/ and the domains never import it; it imports them (eslint/module-boundaries.js).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { getDatabase, closeDatabase, type Database } from './db/client';
import { migrate } from './db/migrate';
import { config } from './platform/config';
import { startJobs, stopJobs } from './platform/jobs';
import { stopPageCache } from './platform/page-cache';
import './platform/mail-job';
import './platform/retention';
// Job definitions register themselves when imported: the composition root imports every domain's jobs/.
import './accounts/jobs';
import './receipts/jobs';
import './payments/jobs';
import { registerPersonalData } from './platform/personal-data';
import { seedThemes } from './territories';
import { seedCriteria } from './moderation';
import { issueSetupToken } from './accounts';
import { loadDemoIfEmpty } from './demo';
import { invitationsTo, forgetInvitationsTo } from './projects';
import { receiptsForExport } from './receipts';

// What other domains keep about a person, for the export and the deletion that accounts runs.
registerPersonalData('projects', {
	export: async (exec, person) => ({ invitations: await invitationsTo(exec, person.email) }),
	erase: (tx, person) => forgetInvitationsTo(tx, person.email)
});
registerPersonalData('receipts', {
	// Tax receipts keep the name and postal address they print (six years, see /privacy): exported, not erased.
	export: async (exec, person) => ({ receipts: await receiptsForExport(exec, person.userId) })
});

// libvips keeps up to 50 MB of decoded images and 100 files in its cache and runs one thread per core,
// each with its own malloc arena: Parvis resizes a cover once (and the demo draws its pictures once), so
// nothing is worth caching. Measured: ~100 MB less resident after the demo load (docs/performance/server.md).
sharp.cache(false);
sharp.concurrency(1);

/** Makes sure every job kind is registered (the imports above do the work), for the app and the worker. */
export function registerJobs(): void {}

/**
 * One full garbage collection when start-up is done. A first embedded start runs PostgreSQL's initdb in
 * its own WebAssembly instance and loads the demo: hundreds of MB of WASM memory and buffers that nothing
 * references any more, but that V8 frees only at a major collection, which an idle server never reaches
 * (measured: 758 MB resident idle after a first start, 370 MB after this; docs/performance/server.md).
 */
function collectStartupGarbage(): void {
	try {
		setFlagsFromString('--expose-gc');
		(runInNewContext('gc') as () => void)();
	} catch {
		/* not exposed: V8 collects at its own pace */
	}
}

let booted: Promise<Database> | undefined;

/**
 * Start-up of an app process: opens the database, applies migrations, seeds the default themes,
 * loads demo content on a first embedded start (or prints the one-time admin setup link on PostgreSQL),
 * and starts the job queue (with the worker unless PARVIS_WORKER=0). With PARVIS_PREPARE_ONLY=1, exits
 * once that is done (scripts/start.js runs a first embedded start so, in a process of its own).
 */
export function boot(): Promise<Database> {
	booted ??= (async () => {
		const cfg = config();
		const database = await getDatabase();
		await migrate(database);
		await seedThemes(database.db);
		await seedCriteria(database.db);
		registerJobs();
		await startJobs(database, { worker: cfg.PARVIS_WORKER === '1' });
		// After the queue: loading the demo goes through commands that send mails.
		if (database.kind === 'pglite' && cfg.PARVIS_DEMO !== '0') {
			await loadDemoIfEmpty(database.db, { log: true });
		}
		if (process.env.PARVIS_PREPARE_ONLY === '1') {
			// scripts/start.js's first embedded start: the database is made, the server starts afresh.
			await stopJobs();
			await closeDatabase();
			process.exit(0);
		}
		collectStartupGarbage();
		const setupToken = await issueSetupToken();
		if (setupToken) {
			console.log(
				`\n[parvis] No administrator yet. Create the first one (this link works once):\n  ${cfg.publicUrl}/setup?token=${setupToken}\n`
			);
		}
		return database;
	})();
	return booted;
}

/** Stops the job queue and closes the database (on SIGTERM / SvelteKit shutdown). */
export async function shutdown(): Promise<void> {
	if (!booted) return;
	booted = undefined;
	stopPageCache();
	await stopJobs().catch((e) => console.error('[jobs] stop', e));
	await closeDatabase();
}
