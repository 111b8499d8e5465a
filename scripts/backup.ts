// npm run backup -- [file]   copies the database to a file
// npm run restore -- <file>  creates the database from such a file
// PostgreSQL (DATABASE_URL): pg_dump -Fc / pg_restore into an empty database. Embedded (PARVIS_DATA_DIR):
// PGlite's dumpDataDir; refused while the app holds the directory (stop it first). Uploaded files live
// in <data dir>/uploads and are not in the database: copy that folder as well.
import { resolve } from 'node:path';
import { DirectoryInUseError, dataDir, optionsFromEnv } from '../src/lib/server/db/client';
import {
	backupEmbedded,
	backupPostgres,
	restoreEmbedded,
	restorePostgres
} from '../src/lib/server/db/backup';

const [command, fileArg] = process.argv.slice(2);
const options = optionsFromEnv();
const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

async function main(): Promise<number> {
	if (command === 'backup') {
		const file = resolve(fileArg ?? `parvis-backup-${stamp}.${options.url ? 'dump' : 'tar.gz'}`);
		if (options.url) backupPostgres(options.url, file);
		else {
			const bytes = await backupEmbedded(dataDir(), file);
			console.log(`[backup] ${dataDir()} → ${file} (${Math.round(bytes / 1024)} kB)`);
		}
		console.log(`[backup] written ${file}`);
		console.log(
			`[backup] uploaded files are not in it: copy ${resolve(dataDir(), 'uploads')} too (if used).`
		);
		return 0;
	}
	if (command === 'restore') {
		if (!fileArg) {
			console.error('[restore] usage: npm run restore -- <backup file>');
			return 2;
		}
		const file = resolve(fileArg);
		if (options.url) await restorePostgres(file, options.url);
		else await restoreEmbedded(file, dataDir());
		console.log(`[restore] restored ${file} into ${options.url ? 'DATABASE_URL' : dataDir()}`);
		console.log('[restore] the next start applies any newer migrations.');
		return 0;
	}
	console.error('usage: tsx scripts/backup.ts backup [file] | restore <file>');
	return 2;
}

try {
	process.exitCode = await main();
} catch (e) {
	const tag = command === 'restore' ? '[restore]' : '[backup]';
	if (e instanceof DirectoryInUseError) {
		console.error(`${tag} ${e.message}`);
		console.error(
			`${tag} Nothing was written. The embedded database can only be copied while the app is stopped: ` +
				'stop it, run this again, then start it (or copy the stopped data directory as it is).'
		);
	} else console.error(`${tag} ${(e as Error).message}`);
	process.exitCode = 1;
}
