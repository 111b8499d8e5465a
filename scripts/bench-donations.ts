// The money part of `npm run bench` (imported by scripts/bench.ts after the build, on the bench database):
//
// - donations per second through the test payment method: `concurrency` async loops in this process,
//   each with its own donors, run donate() then completePayment() (the domain functions, their
//   statements, the audit rows, the ledger group and the donor's confirmation mail queued in pg-boss)
//   for `seconds` after a warm-up, on a keep-it-all money need of a published project; afterwards the
//   ledger is checked (checkLedger) and the campaign's balance compared with the sum given;
// - pgbench's TPC-B-like transaction on the same server and database (pgbench_* tables), same number of
//   clients, same duration, so that the donation rate can be read as a fraction of what the server does.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { openDatabase, setDatabase } from '$lib/server/db/client';
import { startJobs, stopJobs } from '$lib/server/platform/jobs';
import { registerJobs } from '$lib/server/app';
import { donate, completePayment } from '$lib/server/payments';
import { campaignBalances, checkLedger } from '$lib/server/ledger';
import type { Actor } from '$lib/server/accounts';

function log(message: string): void {
	console.log(`[bench] ${message}`);
}

/** The q-th quantile (0..1) of sorted values (nearest rank). */
function quantile(sorted: number[], q: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------------
// Donations

export interface DonationOptions {
	url: string;
	/** Async loops (each its own donors) = connections used at once. */
	concurrency: number;
	donors: number;
	warmupSeconds: number;
	seconds: number;
	signal: AbortSignal;
}

export interface DonationResult {
	/** Completed (credited) donations per second over the measured window. */
	perSecond: number;
	completed: number;
	seconds: number;
	p50: number;
	p95: number;
	p99: number;
	errors: number;
	firstError?: string;
	/** SQL statements sent per donation during the measured window (counted at the driver, queue included). */
	statementsPerDonation: number;
	/** Donations credited in all (warm-up included) and what they gave, tips apart. */
	totalCredited: number;
	givenMinor: number;
	tipsMinor: number;
	balanceMinor: number;
	succeededRows: number;
	ledgerProblems: string[];
	project: string;
}

/** Runs the donation measurement; closes its pool and stops the queue whatever happens. */
export async function measureDonations(options: DonationOptions): Promise<DonationResult> {
	// The test method is enabled by this variable (the server process is not affected: it has stopped).
	process.env.PARVIS_PAYMENTS_TEST = '1';
	const database = await openDatabase({ url: options.url, max: options.concurrency + 2 });
	let statements = 0;
	database.pool!.on('connect', (client: pg.PoolClient) => {
		const query = client.query.bind(client) as (...args: unknown[]) => unknown;
		(client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
			statements++;
			return query(...args);
		};
	});
	setDatabase(database);
	try {
		// The mail job needs the queue (no worker: the mails stay queued, as on a busy instance).
		registerJobs();
		await startJobs(database, { worker: false });

		// A keep-it-all campaign on a published project, open for a year, and the donors.
		const p = await database.query<{ id: string; slug: string }>(
			`SELECT id, slug FROM projects WHERE status = 'published' ORDER BY published_at DESC, id LIMIT 1`
		);
		if (!p.rows.length) throw new Error('no published project to give to');
		const project = p.rows[0];
		const n = await database.query<{ id: string }>(
			`INSERT INTO needs (project_id, kind, position, title, description, goal_minor, currency, campaign_model, deadline)
			VALUES ($1, 'money', 10, 'Bench campaign', 'Gifts of npm run bench.', 100000000, 'EUR', 'keep_it_all',
				now() + interval '1 year')
			RETURNING id`,
			[project.id]
		);
		const needId = n.rows[0].id;
		const u = await database.query<{
			id: string;
			email: string;
			display_name: string;
			locale: 'fr' | 'en';
		}>(
			`INSERT INTO users (email, display_name, locale, email_verified_at)
			SELECT 'bench-donor-' || i || '@example.org', 'Donateur ' || i, CASE WHEN i % 3 = 0 THEN 'en' ELSE 'fr' END, now()
			FROM generate_series(1, $1::int) AS i
			RETURNING id, email, display_name, locale`,
			[options.donors]
		);
		const donors: Actor[] = u.rows.map((r) => ({
			id: r.id,
			email: r.email,
			displayName: r.display_name,
			locale: r.locale,
			isAdmin: false,
			moderatorOf: [],
			sessionId: 'bench'
		}));

		let sequence = 0;
		let credited = 0;
		let givenMinor = 0;
		let tipsMinor = 0;
		let errors = 0;
		let firstError: string | undefined;
		let measuring = false;
		let measuredDone = 0;
		const times: number[] = [];

		/** Loop `k` gives as donors k, k + concurrency, … in turn (no two loops share a donor). */
		const loop = async (k: number, until: number) => {
			const mine = donors.filter((_, i) => i % options.concurrency === k);
			let consecutiveErrors = 0;
			for (let i = 0; Date.now() < until && !options.signal.aborted; i++) {
				const donor = mine[i % mine.length];
				const s = sequence++;
				const euros = 5 + ((s * 37) % 96);
				const tip = s % 3 === 0 ? 0 : Math.max(1, Math.round(euros / 10));
				const started = performance.now();
				try {
					const { contributionId } = await donate(donor, needId, {
						amountMinor: String(euros),
						tipMinor: tip ? String(tip) : '',
						anonymous: s % 5 === 0,
						message: s % 4 === 0 ? 'Merci pour ce beau projet !' : '',
						method: 'test',
						idempotencyKey: randomUUID()
					});
					const outcome = await completePayment({
						contributionId,
						providerEvent: `test:${contributionId}`,
						outcome: 'succeeded',
						amountMinor: (euros + tip) * 100,
						currency: 'EUR'
					});
					if (outcome !== 'credited') throw new Error(`completePayment answered ${outcome}`);
					credited++;
					givenMinor += euros * 100;
					tipsMinor += tip * 100;
					if (measuring) {
						measuredDone++;
						times.push(performance.now() - started);
					}
					consecutiveErrors = 0;
				} catch (e) {
					errors++;
					firstError ??= e instanceof Error ? `${e.name}: ${e.message}` : String(e);
					if (++consecutiveErrors >= 20) return; // something is broken: stop this loop
				}
			}
		};
		const run = (seconds: number) => {
			const until = Date.now() + seconds * 1000;
			return Promise.all(Array.from({ length: options.concurrency }, (_, k) => loop(k, until)));
		};

		log(
			`donations: warm-up ${options.warmupSeconds} s, then ${options.seconds} s with ${options.concurrency} concurrent donors`
		);
		await run(options.warmupSeconds);
		measuring = true;
		const statementsBefore = statements;
		const started = performance.now();
		await run(options.seconds);
		// The window ends when the last donation started in it has completed.
		const seconds = (performance.now() - started) / 1000;
		const measuredStatements = statements - statementsBefore;
		measuring = false;
		times.sort((a, b) => a - b);

		const ledgerProblems = await checkLedger(database.db);
		const balanceMinor = (await campaignBalances(database.db, [needId])).get(needId) ?? 0;
		const s = await database.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM contributions WHERE need_id = $1 AND status = 'succeeded'`,
			[needId]
		);
		const result: DonationResult = {
			perSecond: measuredDone / seconds,
			completed: measuredDone,
			seconds,
			p50: quantile(times, 0.5),
			p95: quantile(times, 0.95),
			p99: quantile(times, 0.99),
			errors,
			firstError,
			statementsPerDonation: measuredDone ? measuredStatements / measuredDone : NaN,
			totalCredited: credited,
			givenMinor,
			tipsMinor,
			balanceMinor,
			succeededRows: s.rows[0].n,
			ledgerProblems,
			project: project.slug
		};
		log(
			`  donations ${result.perSecond.toFixed(1)}/s (${measuredDone} in ${seconds.toFixed(1)} s)  ` +
				`p50 ${result.p50.toFixed(1)} ms  p95 ${result.p95.toFixed(1)} ms` +
				(errors ? `  (${errors} errors; first: ${firstError})` : '')
		);
		return result;
	} finally {
		await stopJobs().catch((e) => console.error(`[bench] stopping the queue: ${(e as Error).message}`));
		setDatabase(undefined);
		await database.close().catch(() => {});
	}
}

// ---------------------------------------------------------------------------------------------------
// pgbench

export interface PgbenchResult {
	tps: number;
	latencyMs: number;
	transactions: number;
	failed: number;
	version: string;
	path: string;
}

function executable(path: string): boolean {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** BENCH_PGBENCH, else pgbench on the PATH, else the newest /usr/lib/postgresql/<v>/bin/pgbench. */
export function findPgbench(): string | null {
	const explicit = process.env.BENCH_PGBENCH;
	if (explicit) return executable(explicit) ? explicit : null;
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (dir && executable(join(dir, 'pgbench'))) return join(dir, 'pgbench');
	}
	const root = '/usr/lib/postgresql';
	if (existsSync(root)) {
		const versions = readdirSync(root)
			.filter((v) => /^\d+$/.test(v))
			.sort((a, b) => Number(b) - Number(a));
		for (const v of versions) {
			const path = join(root, v, 'bin', 'pgbench');
			if (executable(path)) return path;
		}
	}
	return null;
}

/** Runs a command, returning its output; rejects on a non-zero exit, a timeout or the abort signal. */
function run(
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs: number,
	signal: AbortSignal
): Promise<string> {
	return new Promise((done, fail) => {
		let child: ChildProcess;
		try {
			child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], signal, timeout: timeoutMs });
		} catch (e) {
			fail(e);
			return;
		}
		let output = '';
		child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
		child.on('error', fail);
		child.on('close', (code, sig) => {
			if (code === 0) done(output);
			else {
				const tail = output.trimEnd().split('\n').slice(-10).join('\n  | ');
				fail(new Error(`${command} ${args[0]} exited with ${code ?? sig}:\n  | ${tail}`));
			}
		});
	});
}

/**
 * pgbench -i -s 1 into the bench database (its pgbench_* tables), then the TPC-B-like run with
 * `clients` clients for `seconds`. The password, if any, goes through PGPASSWORD, not the command line.
 */
export async function runPgbench(
	pgbench: string,
	url: string,
	clients: number,
	seconds: number,
	signal: AbortSignal
): Promise<PgbenchResult> {
	const u = new URL(url);
	const env: NodeJS.ProcessEnv = { ...process.env };
	if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
	u.password = '';
	const target = u.toString();
	const version = (await run(pgbench, ['--version'], env, 10_000, signal)).trim();
	log(`pgbench: initialising scale 1 (${version})`);
	await run(pgbench, ['-i', '-s', '1', '-q', target], env, 120_000, signal);
	const threads = Math.max(1, Math.min(2, clients));
	log(`pgbench: TPC-B-like, ${clients} clients, ${threads} threads, ${seconds} s`);
	const out = await run(
		pgbench,
		['-c', String(clients), '-j', String(threads), '-T', String(seconds), '-n', target],
		env,
		(seconds + 60) * 1000,
		signal
	);
	const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
	if (!tps) throw new Error(`could not read the tps in pgbench's output:\n${out}`);
	const latency = /latency average = ([\d.]+) ms/.exec(out);
	const processed = /number of transactions actually processed: (\d+)/.exec(out);
	const failed = /number of failed transactions: (\d+)/.exec(out);
	const result: PgbenchResult = {
		tps: Number(tps[1]),
		latencyMs: latency ? Number(latency[1]) : NaN,
		transactions: processed ? Number(processed[1]) : NaN,
		failed: failed ? Number(failed[1]) : 0,
		version,
		path: pgbench
	};
	log(`  pgbench ${result.tps.toFixed(0)} tps, latency average ${result.latencyMs.toFixed(1)} ms`);
	return result;
}

// ---------------------------------------------------------------------------------------------------
// Table

const inEuros = (minor: number) => (minor / 100).toFixed(2);

export function printDonationTable(
	d: DonationResult,
	p: PgbenchResult | null,
	pgbenchMissing: string | null,
	context: string[]
): void {
	const ratio = p && p.tps > 0 ? d.perSecond / p.tps : NaN;
	const headers = ['donations/s', 'p50 ms', 'p95 ms', 'p99 ms', 'SQL/donation', 'pgbench tps', 'ratio'];
	const row = [
		d.perSecond.toFixed(1),
		d.p50.toFixed(1),
		d.p95.toFixed(1),
		d.p99.toFixed(1),
		d.statementsPerDonation.toFixed(1),
		p ? p.tps.toFixed(0) : 'n/a',
		p ? `${(ratio * 100).toFixed(1)} %` : 'n/a'
	];
	const widths = headers.map((h, i) => Math.max(h.length, row[i].length));
	const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |';
	console.log('');
	for (const c of context) console.log(c);
	console.log('');
	console.log(line(headers));
	console.log('|' + widths.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|');
	console.log(line(row));
	console.log('');
	console.log(
		'A donation is 5 statements and 3 commits, no explicit transaction (docs/performance/money.md): donate reads the ' +
			'need, its project and any gift of the same form, then writes the pending gift with its audit row in one statement; ' +
			'completePayment reads the gift, its campaign and donor, then moves it to succeeded and writes its balanced ' +
			'ledger group of 2–3 entries in one statement; the mail is one queued job (SQL/donation, counted at the driver), ' +
			"against TPC-B's 7 statements (BEGIN, 3 UPDATEs, 1 SELECT, 1 INSERT, END) and 1 commit. " +
			'p50/p95/p99: one donation, donate() to completePayment().'
	);
	if (!p) console.log(`pgbench: ${pgbenchMissing}; no ratio.`);
	else
		console.log(
			`pgbench: ${p.version} (${p.path}), scale 1, ${p.transactions} transactions, latency average ` +
				`${p.latencyMs.toFixed(1)} ms${p.failed ? `, ${p.failed} failed` : ''}.`
		);
	const balanced = d.balanceMinor === d.givenMinor;
	console.log(
		`Ledger after ${d.totalCredited} donations (warm-up included): checkLedger ${
			d.ledgerProblems.length ? `FOUND ${d.ledgerProblems.length} problem(s)` : 'found no problem'
		}; campaign balance ${inEuros(d.balanceMinor)} EUR ${balanced ? '=' : '≠'} sum given ${inEuros(d.givenMinor)} EUR ` +
			`(tips ${inEuros(d.tipsMinor)} EUR apart); ${d.succeededRows} succeeded gifts in the table` +
			(balanced && !d.ledgerProblems.length && d.succeededRows === d.totalCredited
				? ' — OK.'
				: ' — MISMATCH.')
	);
	for (const problem of d.ledgerProblems.slice(0, 10)) console.log(`  ledger: ${problem}`);
	if (d.errors) console.log(`Donations that failed: ${d.errors} (first: ${d.firstError}).`);
}

// ---------------------------------------------------------------------------------------------------
// Alone: `npx tsx scripts/bench-donations.ts` measures only the donations and pgbench, on a fresh
// database with one published project (no build, no server, no 10,000 projects), and drops it after.
// Same options as `npm run bench`: BENCH_DATABASE_URL, BENCH_DURATION (10 s), BENCH_WARMUP (3 s),
// BENCH_CONNECTIONS (10), BENCH_DONORS (50), BENCH_PGBENCH, BENCH_KEEP_DB=1; BENCH_DB_NAME names the
// database (default parvis_bench_donations_<pid>). BENCH_VERSION_TRIGGER=off disables the public-data-version
// statement triggers on that database, to measure their share (a measurement only: the app needs them);
// BENCH_TRACK_FUNCTIONS=1 prints the calls and time of the PL/pgSQL trigger functions during the donations.

function withDatabaseName(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

async function alone(): Promise<number> {
	const { default: pgModule } = await import('pg');
	const { cpus, loadavg } = await import('node:os');
	const { migrate } = await import('$lib/server/db/migrate');
	const { seedThemes } = await import('$lib/server/territories');
	const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
	const name = process.env.BENCH_DB_NAME || `parvis_bench_donations_${process.pid}`;
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DB_NAME: not a plain name: ${name}`);
	const seconds = Number(process.env.BENCH_DURATION || 10);
	const warmup = Number(process.env.BENCH_WARMUP || 3);
	const connections = Number(process.env.BENCH_CONNECTIONS || 10);
	const donors = Number(process.env.BENCH_DONORS || 50);
	const abort = new AbortController();
	for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => abort.abort());
	const admin = new pgModule.Client({ connectionString: adminUrl });
	await admin.connect();
	const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]
		.server_version;
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = withDatabaseName(adminUrl, name);
	log(`database ${name} (PostgreSQL ${version})`);
	const trackFunctions = process.env.BENCH_TRACK_FUNCTIONS === '1';
	try {
		const database = await openDatabase({ url, max: 2 });
		try {
			await migrate(database);
			await seedThemes(database.db);
			await database.query(`
				WITH t AS (INSERT INTO territories (slug, kind, name_fr, name_en) VALUES ('lyon', 'city', 'Lyon', 'Lyon') RETURNING id),
				u AS (INSERT INTO users (email, display_name, locale, email_verified_at)
					VALUES ('bench-owner@example.org', 'Porteuse', 'fr', now()) RETURNING id)
				INSERT INTO projects (slug, title, summary, territory_id, owner_id, status, submitted_at, published_at)
				SELECT 'jardin-partage-bench', 'Jardin partagé', 'Un jardin pour le quartier.', t.id, u.id, 'published', now(), now()
				FROM t, u`);
			if (process.env.BENCH_VERSION_TRIGGER === 'off') {
				await database.query(`DO $$ DECLARE r record; BEGIN
					FOR r IN SELECT tgrelid::regclass AS t, tgname FROM pg_trigger WHERE tgname LIKE '%\\_public\\_version' LOOP
						EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', r.t, r.tgname);
					END LOOP; END $$`);
				log('public-data-version triggers disabled (BENCH_VERSION_TRIGGER=off)');
			}
		} finally {
			await database.close();
		}
		if (trackFunctions) {
			const c = new pgModule.Client({ connectionString: adminUrl });
			await c.connect();
			await c.query(`ALTER DATABASE ${name} SET track_functions = 'pl'`);
			await c.end();
		}
		const loadBefore = loadavg()[0];
		const d = await measureDonations({
			url,
			concurrency: connections,
			donors,
			warmupSeconds: warmup,
			seconds,
			signal: abort.signal
		});
		if (trackFunctions) {
			const c = new pgModule.Client({ connectionString: url });
			await c.connect();
			const f = await c.query<{ funcname: string; calls: number; total_time: number; self_time: number }>(
				`SELECT funcname, calls::int, total_time, self_time FROM pg_stat_user_functions ORDER BY total_time DESC`
			);
			await c.end();
			for (const r of f.rows)
				log(
					`  ${r.funcname}: ${r.calls} calls, ${r.total_time.toFixed(0)} ms in all, ` +
						`${((r.total_time * 1000) / Math.max(1, r.calls)).toFixed(0)} µs a call`
				);
		}
		const pgbench = findPgbench();
		let p: PgbenchResult | null = null;
		let missing: string | null = pgbench ? null : 'not found';
		if (pgbench) {
			try {
				p = await runPgbench(pgbench, url, connections, seconds, abort.signal);
			} catch (e) {
				missing = `failed (${(e as Error).message})`;
			}
		}
		printDonationTable(d, p, missing, [
			`Donations alone (scripts/bench-donations.ts), PostgreSQL ${version}, load average ` +
				`${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after on ${cpus().length} CPU(s).`,
			`${connections} concurrent donors (${donors} in all), ${seconds} s after a ${warmup} s warm-up` +
				(process.env.BENCH_VERSION_TRIGGER === 'off' ? ', public-data-version triggers disabled.' : '.')
		]);
		return d.completed > 0 && !d.ledgerProblems.length ? 0 : 1;
	} finally {
		if (process.env.BENCH_KEEP_DB === '1') log(`kept the database ${name}: drop it by hand`);
		else {
			const drop = new pgModule.Client({ connectionString: adminUrl });
			await drop.connect();
			await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await drop.end();
		}
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	alone().then(
		(code) => process.exit(code),
		(e) => {
			console.error('[bench]', e);
			process.exit(1);
		}
	);
}
