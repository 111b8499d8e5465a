// `npm run worker`: the standalone job worker for PostgreSQL deployments, where several app
// instances (started with PARVIS_WORKER=0, or not) and workers share one queue in the database.
// On the embedded database (PGlite) only one process may open the data directory, so the worker
// runs inside the app instead.
import { closeDatabase, getDatabase } from '$lib/server/db/client';
import { migrate } from '$lib/server/db/migrate';
import { startJobs, stopJobs } from '$lib/server/platform/jobs';
import { registerJobs } from '$lib/server/app';

if (!process.env.DATABASE_URL) {
	console.error(
		'[worker] DATABASE_URL is not set. The standalone worker is for PostgreSQL deployments; ' +
			'on the embedded database (PGlite) the worker runs inside the app (`npm start`, PARVIS_WORKER=1).'
	);
	process.exit(1);
}

const database = await getDatabase();
const applied = await migrate(database);
if (applied.length) console.log(`[worker] applied migrations: ${applied.join(', ')}`);
registerJobs();
const boss = await startJobs(database, { worker: true });
const queues = (await boss.getQueues()).map((q) => q.name).filter((n) => !n.startsWith('__'));
console.log(`[worker] working on ${queues.join(', ') || 'no queues'} (pid ${process.pid}); Ctrl-C to stop`);

let stopping = false;
async function stop(signal: string): Promise<void> {
	if (stopping) {
		console.error(`[worker] ${signal} again: exiting now`);
		process.exit(1);
	}
	stopping = true;
	console.log(`[worker] ${signal}: finishing running jobs…`);
	try {
		await stopJobs();
		await closeDatabase();
		console.log('[worker] stopped');
		process.exit(0);
	} catch (e) {
		console.error('[worker] error while stopping', e);
		process.exit(1);
	}
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
