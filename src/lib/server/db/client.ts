import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

// Contrib extensions the migrations create (search: accents folded, trigram similarity).
const pgliteExtensions = { unaccent, pg_trgm };

/**
 * PGlite's memory: PostgreSQL inside WebAssembly keeps what it once used (a WASM memory never shrinks),
 * and its defaults are a server's: 128 MB of shared buffers, and 64 MB of maintenance memory (the
 * module's own initial memory is 128 MB and cannot be lowered). The embedded instance's data is small and its files sit in the OS page cache anyway, so
 * 16 MB of buffers hold the demo's working set and save the resident memory (docs/performance/server.md).
 * `PARVIS_PGLITE_SHARED_BUFFERS` overrides (e.g. 128MB for a large embedded instance).
 */
function pgliteMemoryOptions() {
	const buffers = process.env.PARVIS_PGLITE_SHARED_BUFFERS || '16MB';
	return {
		startParams: [
			...PGlite.defaultStartParams,
			'-c',
			`shared_buffers=${buffers}`,
			'-c',
			'maintenance_work_mem=16MB',
			'-c',
			'temp_buffers=2MB',
			'-c',
			'wal_buffers=1MB'
		]
	};
}

export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that runs queries: the database or a transaction. */
export type Executor = Db | Tx;

export interface Database {
	kind: 'pglite' | 'postgres';
	db: Db;
	/** Runs raw SQL (used by the job queue); returns rows. */
	query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: T[] }>;
	pglite?: PGlite;
	pool?: pg.Pool;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** PostgreSQL connection string; when absent, PGlite is used. */
	url?: string;
	/** PGlite data directory; `memory://` for an in-memory database. */
	dataDir?: string;
	/** Pool size for PostgreSQL. */
	max?: number;
	/** PGlite only: a data directory archive (from `dumpDataDir`) to start a new directory from (restore). */
	loadDataDir?: Blob;
}

// Kept on globalThis: in development Vite re-evaluates changed server modules, and a second PGlite
// on the same directory in one process would corrupt it. The process keeps one database whatever reloads.
const shared = globalThis as { __parvisDatabase?: Database; __parvisOpening?: Promise<Database> };

/** The default PGlite data directory: PARVIS_DATA_DIR or ./data. */
export function dataDir(): string {
	return resolve(process.env.PARVIS_DATA_DIR || './data');
}

/** Thrown when a PGlite data directory is already open in another process (or in this one). */
class DirectoryInUseError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DirectoryInUseError';
	}
}

/** Lock files held by this process (a second open in the same process is refused too). */
const heldLocks = new Set<string>();

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * One process per PGlite directory: a second process opening the same directory loses writes,
 * so we hold a lock file with our pid while it is open and refuse when a live process holds it.
 */
function acquireLock(dir: string): () => void {
	const lockPath = resolve(dir, 'parvis.lock');
	if (heldLocks.has(lockPath)) {
		throw new DirectoryInUseError(
			`The embedded database at ${dir} is already open in this process (pid ${process.pid}).`
		);
	}
	for (let attempt = 0; attempt < 3; attempt++) {
		// Write the pid to a private file, then link it into place: the lock appears with its
		// content at once, so a concurrent starter never reads an empty lock and takes it for stale.
		const tmp = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
		writeFileSync(tmp, String(process.pid));
		try {
			linkSync(tmp, lockPath);
			heldLocks.add(lockPath);
			return () => {
				heldLocks.delete(lockPath);
				try {
					if (readFileSync(lockPath, 'utf8') === String(process.pid)) unlinkSync(lockPath);
				} catch {
					/* already gone */
				}
			};
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		} finally {
			rmSync(tmp, { force: true });
		}
		let pid: number;
		try {
			pid = Number(readFileSync(lockPath, 'utf8').trim());
		} catch {
			continue; // released meanwhile: try again
		}
		// Our own pid in a lock we do not hold is stale: a container restart reuses low pids.
		if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
			throw new DirectoryInUseError(
				`The embedded database at ${dir} is in use by process ${pid}. ` +
					'Stop that process first (only one process may open a PGlite directory); ' +
					`if no such Parvis process is running, delete ${lockPath}.`
			);
		}
		// A stale lock from a process that died: move it aside atomically, so that if another
		// starter replaced it meanwhile, we notice (the content differs) and put theirs back.
		const grave = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
		try {
			renameSync(lockPath, grave);
		} catch {
			continue;
		}
		if (readFileSync(grave, 'utf8').trim() !== String(pid)) {
			try {
				linkSync(grave, lockPath);
			} catch {
				/* a third starter holds it now */
			}
		}
		rmSync(grave, { force: true });
	}
	throw new DirectoryInUseError(`Could not lock ${dir}: another process keeps taking the lock.`);
}

/** Opens a database (without making it the current one). */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
	if (options.url) {
		const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10 });
		pool.on('error', (err) => console.error('[db] idle client error', err.message));
		const db = drizzlePg(pool, { schema });
		return {
			kind: 'postgres',
			db,
			pool,
			query: async (text, values) => {
				const r = await pool.query(text, values as unknown[]);
				return { rows: r.rows };
			},
			close: () => pool.end()
		};
	}
	const dir = options.dataDir ?? dataDir();
	let release = () => {};
	let client: PGlite;
	if (dir.startsWith('memory://')) {
		client = new PGlite({ extensions: pgliteExtensions, ...pgliteMemoryOptions() });
	} else {
		mkdirSync(dirname(dir), { recursive: true });
		mkdirSync(dir, { recursive: true });
		release = acquireLock(dir);
		try {
			client = new PGlite(join(dir, 'pgdata'), {
				extensions: pgliteExtensions,
				...pgliteMemoryOptions(),
				loadDataDir: options.loadDataDir
			});
			await client.waitReady;
		} catch (e) {
			release();
			throw e;
		}
	}
	await client.waitReady;
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		kind: 'pglite',
		db,
		pglite: client,
		query: async (text, values) => {
			if (values && values.length) {
				const r = await client.query(text, values as unknown[]);
				return { rows: r.rows as never[] };
			}
			// Multi-statement text without parameters (pg-boss sends such batches).
			const results = await client.exec(text);
			const last = results[results.length - 1];
			return { rows: (last?.rows ?? []) as never[] };
		},
		close: async () => {
			try {
				await client.close();
			} finally {
				release();
			}
		}
	};
}

/** Options from the environment: DATABASE_URL, else PGlite in PARVIS_DATA_DIR. */
export function optionsFromEnv(): OpenOptions {
	return process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: dataDir() };
}

/** Makes `database` the process-wide database returned by getDatabase()/getDb(). */
export function setDatabase(database: Database | undefined): void {
	shared.__parvisDatabase = database;
	shared.__parvisOpening = undefined;
}

/** The process-wide database, opened lazily from the environment on first use. */
export async function getDatabase(): Promise<Database> {
	if (shared.__parvisDatabase) return shared.__parvisDatabase;
	shared.__parvisOpening ??= openDatabase(optionsFromEnv()).then((d) => (shared.__parvisDatabase = d));
	return shared.__parvisOpening;
}

/** The current Drizzle handle; the database must have been opened (see init in hooks.server.ts). */
export function db(): Db {
	return database().db;
}

/** The current database wrapper (raw queries, kind). */
export function database(): Database {
	const current = shared.__parvisDatabase;
	if (!current) throw new Error('Database not opened: call getDatabase() first');
	return current;
}

/** Closes the process-wide database. */
export async function closeDatabase(): Promise<void> {
	const opening = shared.__parvisOpening;
	const d = shared.__parvisDatabase ?? (opening ? await opening.catch(() => undefined) : undefined);
	shared.__parvisDatabase = undefined;
	shared.__parvisOpening = undefined;
	if (d) await d.close();
}

export { DirectoryInUseError };
