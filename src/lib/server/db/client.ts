import { mkdirSync, openSync, closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

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
}

let current: Database | undefined;
let opening: Promise<Database> | undefined;

/** The default PGlite data directory: PARVIS_DATA_DIR or ./data. */
export function dataDir(): string {
	return resolve(process.env.PARVIS_DATA_DIR || './data');
}

class DirectoryInUseError extends Error {}

/**
 * One process per PGlite directory: a second process opening the same directory loses writes,
 * so we hold a lock file with our pid while it is open and refuse when a live process holds it.
 */
function acquireLock(dir: string): () => void {
	const lockPath = join(dir, 'parvis.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(lockPath, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			return () => {
				try {
					if (readFileSync(lockPath, 'utf8') === String(process.pid)) unlinkSync(lockPath);
				} catch {
					/* already gone */
				}
			};
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const pid = Number(readFileSync(lockPath, 'utf8'));
			let alive = false;
			if (pid && pid !== process.pid) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch {
					alive = false;
				}
			}
			if (alive) {
				throw new DirectoryInUseError(
					`The embedded database at ${dir} is in use by process ${pid}. ` +
						'Stop that process first (only one process may open a PGlite directory).'
				);
			}
			unlinkSync(lockPath); // stale lock from a process that died
		}
	}
	throw new DirectoryInUseError(`Could not lock ${dir}`);
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
		client = new PGlite();
	} else {
		mkdirSync(dirname(dir), { recursive: true });
		mkdirSync(dir, { recursive: true });
		release = acquireLock(dir);
		try {
			client = new PGlite(join(dir, 'pgdata'));
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
	current = database;
	opening = undefined;
}

/** The process-wide database, opened lazily from the environment on first use. */
export async function getDatabase(): Promise<Database> {
	if (current) return current;
	opening ??= openDatabase(optionsFromEnv()).then((d) => (current = d));
	return opening;
}

/** The current Drizzle handle; the database must have been opened (see init in hooks.server.ts). */
export function db(): Db {
	if (!current) throw new Error('Database not opened: call getDatabase() first');
	return current.db;
}

/** The current database wrapper (raw queries, kind). */
export function database(): Database {
	if (!current) throw new Error('Database not opened: call getDatabase() first');
	return current;
}

/** Closes the process-wide database. */
export async function closeDatabase(): Promise<void> {
	const d = current ?? (opening ? await opening.catch(() => undefined) : undefined);
	current = undefined;
	opening = undefined;
	if (d) await d.close();
}

export { DirectoryInUseError };
