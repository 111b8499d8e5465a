// The public page cache under a steady stream of writes (issue #10: "under a steady 5 writes/s the cached
// figures stay ≥ 60 % of /healthz").
//
// `measureUnderWrites(options)` measures, against a running server, /healthz and each given page as an
// anonymous visitor gets it (the cache on), first with no writes, then while a writer makes small writes
// to one project every 1000/writesPerSecond ms (`UPDATE projects SET updated_at = now()`: the project's
// row, so its page, its territories' pages and the plain listings are emptied each time; other
// projects' and territories' pages are not). It returns each page's req/s and p95 in both phases and
// the ratio to /healthz measured in the same run. scripts/bench.ts calls it; standalone:
//
//   npx tsx scripts/bench-writes.ts <server base URL> <the server's DATABASE_URL>
//
// Options (environment, standalone): BENCH_DURATION (5 s per row), BENCH_CONNECTIONS (10),
// BENCH_WRITES_PER_S (5). Keep runs short: the machine is shared.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

interface AutocannonResult {
	requests: { average: number; total: number };
	errors: number;
	timeouts: number;
	non2xx: number;
}
type AutocannonInstance = Promise<AutocannonResult> & {
	on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
	url: string;
	connections: number;
	duration: number;
	headers?: Record<string, string>;
	timeout?: number;
}) => AutocannonInstance;

export interface WritesOptions {
	/** The running server, e.g. http://127.0.0.1:3000. */
	baseUrl: string;
	/** The PostgreSQL database the server uses (the writes go straight to it). */
	databaseUrl: string;
	/** The project written to (default: the most recently published one). */
	projectSlug?: string;
	/** Pages to measure, as [label, path]; default: see `defaultPages`. */
	pages?: [string, string][];
	writesPerSecond?: number;
	durationS?: number;
	connections?: number;
	/** Extra request headers (e.g. accept-encoding). */
	headers?: Record<string, string>;
	log?: (line: string) => void;
}

export interface WritesRow {
	label: string;
	path: string;
	/** Without writes, then under writes. */
	quiet: { rps: number; p95: number };
	loaded: { rps: number; p95: number; errors: number };
	/** Under writes, req/s ÷ /healthz's req/s (same run). */
	ratio: number;
}

export interface WritesResult {
	healthz: { rps: number; p95: number };
	rows: WritesRow[];
	writes: number;
	writesPerSecond: number;
	project: string;
	/** The lowest ratio of the rows (the verdict: ≥ 0.6). */
	worst: number;
}

function quantile(sorted: number[], q: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function cannon(
	url: string,
	o: Required<Pick<WritesOptions, 'durationS' | 'connections'>> & { headers: Record<string, string> }
) {
	const times: number[] = [];
	const instance = autocannon({
		url,
		connections: o.connections,
		duration: o.durationS,
		timeout: 10,
		headers: { 'accept-language': 'fr-FR,fr;q=0.9', ...o.headers }
	});
	instance.on('response', (_c, _s, _b, ms) => times.push(ms));
	const r = await instance;
	times.sort((a, b) => a - b);
	return { rps: r.requests.average, p95: quantile(times, 0.95), errors: r.errors + r.timeouts + r.non2xx };
}

/** The written project's page, its territory's page and the listings, plus another project and territory. */
export async function defaultPages(client: pg.Client, slug: string): Promise<[string, string][]> {
	const { rows } = await client.query<{ territory: string; other: string; other_territory: string }>(
		`SELECT t.slug AS territory,
			(SELECT slug FROM projects WHERE status = 'published' AND slug <> $1 ORDER BY published_at DESC LIMIT 1) AS other,
			(SELECT slug FROM territories WHERE id NOT IN (
				WITH RECURSIVE up AS (SELECT id, parent_id FROM territories WHERE id = p.territory_id
					UNION ALL SELECT x.id, x.parent_id FROM territories x JOIN up ON x.id = up.parent_id)
				SELECT id FROM up) ORDER BY slug LIMIT 1) AS other_territory
		 FROM projects p JOIN territories t ON t.id = p.territory_id WHERE p.slug = $1`,
		[slug]
	);
	const r = rows[0]!;
	return [
		['/projects', '/projects'],
		['/projects/[slug] (written)', `/projects/${slug}`],
		['/projects/[slug] (other)', `/projects/${r.other}`],
		['/territories/[slug] (written)', `/territories/${r.territory}`],
		['/territories/[slug] (other)', `/territories/${r.other_territory}`],
		['/api/v1/projects', '/api/v1/projects']
	];
}

/** Measures the cached pages with and without a steady stream of writes to one project. */
export async function measureUnderWrites(options: WritesOptions): Promise<WritesResult> {
	const log = options.log ?? ((line: string) => console.log(`[bench-writes] ${line}`));
	const o = {
		durationS: options.durationS ?? 5,
		connections: options.connections ?? 10,
		headers: options.headers ?? {}
	};
	const wps = options.writesPerSecond ?? 5;
	const client = new pg.Client({ connectionString: options.databaseUrl });
	await client.connect();
	try {
		const slug =
			options.projectSlug ??
			(
				await client.query<{ slug: string }>(
					`SELECT slug FROM projects WHERE status = 'published' ORDER BY published_at DESC, id LIMIT 1`
				)
			).rows[0]!.slug;
		const { id } = (await client.query<{ id: string }>(`SELECT id FROM projects WHERE slug = $1`, [slug]))
			.rows[0]!;
		const pages = options.pages ?? (await defaultPages(client, slug));
		for (const [, path] of pages) await (await fetch(options.baseUrl + path)).arrayBuffer();

		const healthz = await cannon(options.baseUrl + '/healthz', o);
		log(`/healthz ${healthz.rps.toFixed(0)} req/s, p95 ${healthz.p95} ms`);

		let writes = 0;
		let failed = 0;
		let timer: ReturnType<typeof setInterval> | undefined;
		const startWrites = () => {
			timer = setInterval(() => {
				client
					.query(`UPDATE projects SET updated_at = now() WHERE id = $1`, [id])
					.then(() => writes++)
					.catch(() => failed++);
			}, 1000 / wps);
		};
		const rows: WritesRow[] = [];
		for (const [label, path] of pages) {
			const quiet = await cannon(options.baseUrl + path, o);
			const before = writes;
			startWrites();
			const loaded = await cannon(options.baseUrl + path, o);
			clearInterval(timer);
			const row: WritesRow = {
				label,
				path,
				quiet: { rps: quiet.rps, p95: quiet.p95 },
				loaded,
				ratio: loaded.rps / healthz.rps
			};
			rows.push(row);
			log(
				`${label.padEnd(30)} quiet ${quiet.rps.toFixed(0).padStart(6)} req/s p95 ${quiet.p95} ms | ` +
					`${wps} writes/s (${writes - before} done) ${loaded.rps.toFixed(0).padStart(6)} req/s p95 ${loaded.p95} ms` +
					` = ${(row.ratio * 100).toFixed(0)} % of /healthz${loaded.errors ? ` (${loaded.errors} errors)` : ''}`
			);
		}
		if (failed) log(`${failed} writes failed`);
		return {
			healthz,
			rows,
			writes,
			writesPerSecond: wps,
			project: slug,
			worst: Math.min(...rows.map((r) => r.ratio))
		};
	} finally {
		await client.end();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const [baseUrl, databaseUrl] = process.argv.slice(2);
	if (!baseUrl || !databaseUrl) {
		console.error('usage: npx tsx scripts/bench-writes.ts <server base URL> <DATABASE_URL>');
		process.exit(1);
	}
	const num = (name: string, fallback: number) => Number(process.env[name] || fallback);
	const result = await measureUnderWrites({
		baseUrl,
		databaseUrl,
		durationS: num('BENCH_DURATION', 5),
		connections: num('BENCH_CONNECTIONS', 10),
		writesPerSecond: num('BENCH_WRITES_PER_S', 5)
	});
	console.log(
		`[bench-writes] worst page under ${result.writesPerSecond} writes/s: ${(result.worst * 100).toFixed(0)} % of /healthz ` +
			`(target ≥ 60 %): ${result.worst >= 0.6 ? 'PASS' : 'FAIL'}`
	);
}
