// `npm test`: the whole suite, in three stages run one after the other:
//   1. unit and integration tests (Vitest) on PGlite;
//   2. the same tests on the real PostgreSQL server (TEST_DATABASE_URL, by default
//      postgres://postgres@127.0.0.1:5432/postgres): races only show up there;
//   3. the end-to-end suite (scripts/e2e.js: built app + Chromium).
// Each stage writes Vitest's JSON report to test-results/, from which the passed and failed tests are
// counted. A stage that crashes (or times out) counts as at least one failure. Prints a summary table and
// ends with one line, `N passed, N failed`; exits with 1 if anything failed.
// Before the first stage it checks the prerequisites (Node, PostgreSQL, Chromium, pdftotext) and, when one
// is missing, says how to get it and stops at once (each missing one counts as a failure).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration } from './duration.js';

const RESULTS = 'test-results';
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const VITEST = 'node_modules/vitest/vitest.mjs';

const databaseUrl = process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;

/** The URL without its password, for messages. */
function safeUrl(url) {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return '(invalid URL)';
	}
}

async function checkPostgres() {
	const { default: pg } = await import('pg');
	const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
	try {
		await client.connect();
		await client.query('SELECT 1');
		return null;
	} catch (e) {
		return e.code ?? e.message;
	} finally {
		await client.end().catch(() => {});
	}
}

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** What is missing to run the whole suite, each with what to do about it. */
async function missingPrerequisites() {
	const problems = [];
	const [major, minor] = process.versions.node.split('.').map(Number);
	if (major < 20 || (major === 20 && minor < 19))
		problems.push(`Node ${process.versions.node} is too old: Parvis needs Node >= 20.19.`);
	const pgProblem = await checkPostgres();
	if (pgProblem)
		problems.push(
			`PostgreSQL does not answer at ${safeUrl(databaseUrl)} (${pgProblem}).\n` +
				'    Start the server (e.g. `pg_ctlcluster 15 main start`), or set TEST_DATABASE_URL to a server that\n' +
				'    runs (a superuser URL: each test file creates and drops its own database).'
		);
	try {
		accessSync(chromiumPath, constants.X_OK);
	} catch {
		problems.push(
			`Chromium is not at ${chromiumPath} (end-to-end tests drive it).\n` +
				'    Install it (`apt-get install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.'
		);
	}
	if (spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error)
		problems.push(
			'pdftotext is missing (the tax receipt test reads its PDF back): `apt-get install poppler-utils`.'
		);
	return problems;
}

const env = (overrides) => {
	const e = { ...process.env, ...overrides };
	for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete e[k];
	return e;
};

const stages = [
	{
		name: 'unit + integration (PGlite)',
		id: 'pglite',
		args: [VITEST, 'run'],
		env: env({ TEST_DATABASE_URL: undefined }),
		timeoutMs: 10 * 60_000
	},
	{
		name: 'unit + integration (PostgreSQL)',
		id: 'postgres',
		args: [VITEST, 'run'],
		env: env({ TEST_DATABASE_URL: databaseUrl }),
		timeoutMs: 10 * 60_000,
		async precondition() {
			const problem = await checkPostgres();
			if (!problem) return null;
			return (
				`PostgreSQL does not answer at ${safeUrl(databaseUrl)} (${problem}).\n` +
				'  Start the server (e.g. `pg_ctlcluster 15 main start`) or set TEST_DATABASE_URL to one that runs.'
			);
		}
	},
	{
		name: 'end-to-end (Chromium)',
		id: 'e2e',
		args: ['scripts/e2e.js'],
		env: env({}),
		timeoutMs: 15 * 60_000
	}
];

// Time limits are a safety net against a hung stage (on a quiet two-core machine the whole suite takes
// about 8 minutes; a busy one can take twice as long).
let current; // the running child, to stop it on Ctrl-C
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		if (current) {
			try {
				process.kill(-current.pid, 'SIGTERM');
			} catch {
				/* gone */
			}
		}
		process.exit(130);
	});
}

function run(args, childEnv, timeoutMs) {
	return new Promise((resolve) => {
		// Own process group, so that a timeout stops the whole tree (server, browser, workers).
		const child = spawn(process.execPath, args, { stdio: 'inherit', env: childEnv, detached: true });
		current = child;
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			console.error(`\n[test] stage timed out after ${timeoutMs / 60_000} min: stopping it`);
			try {
				process.kill(-child.pid, 'SIGTERM');
				setTimeout(() => {
					try {
						process.kill(-child.pid, 'SIGKILL');
					} catch {
						/* gone */
					}
				}, 15_000).unref();
			} catch {
				/* gone */
			}
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			current = undefined;
			resolve({ code: 1, error: e.message });
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			current = undefined;
			resolve({ code: code ?? 1, signal, timedOut });
		});
	});
}

/** Counts from Vitest's JSON report; a file that failed without a failed test (import error) counts 1. */
function readReport(file) {
	if (!existsSync(file)) return null;
	try {
		const r = JSON.parse(readFileSync(file, 'utf8'));
		let brokenFiles = 0;
		for (const f of r.testResults ?? []) {
			const failedTests = (f.assertionResults ?? []).filter((a) => a.status === 'failed').length;
			if (f.status === 'failed' && failedTests === 0) brokenFiles++;
		}
		return {
			passed: r.numPassedTests ?? 0,
			failed: (r.numFailedTests ?? 0) + brokenFiles,
			skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
			success: r.success
		};
	} catch {
		return null;
	}
}

const seconds = formatDuration;

const missing = await missingPrerequisites();
if (missing.length) {
	console.error('[test] The suite cannot run here yet:');
	for (const p of missing) console.error(`  - ${p}`);
	console.error('[test] `bash .ci/run` installs and starts all of them (root or sudo needed); see README.');
	console.log('');
	console.log(`0 passed, ${missing.length} failed`);
	// Let stdout drain before leaving (it may be a pipe to CI's log).
	await new Promise((resolveWrite) => process.stdout.write('', resolveWrite));
	process.exit(1);
}

mkdirSync(RESULTS, { recursive: true });
const startedAll = Date.now();
const rows = [];

for (const stage of stages) {
	console.log(`\n=== [test] ${stage.name} ===\n`);
	const started = Date.now();
	const report = join(RESULTS, `vitest-${stage.id}.json`);
	rmSync(report, { force: true });
	const row = { name: stage.name, passed: 0, failed: 0, skipped: 0, result: 'ok' };
	const problem = stage.precondition ? await stage.precondition() : null;
	if (problem) {
		console.error(`[test] ${problem}`);
		Object.assign(row, { failed: 1, result: 'not run: PostgreSQL does not answer' });
	} else {
		const { code, signal, timedOut, error } = await run(
			[...stage.args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
			stage.env,
			stage.timeoutMs
		);
		const counts = readReport(report);
		if (counts) Object.assign(row, counts);
		if (timedOut) row.result = 'timed out';
		else if (error) row.result = `crashed (${error})`;
		else if (signal) row.result = `crashed (${signal})`;
		else if (!counts && code !== 0) row.result = `crashed (exit ${code}, no report)`;
		else if (code !== 0) row.result = row.failed ? 'failed' : `crashed (exit ${code})`;
		else if (row.failed) row.result = 'failed';
		// A stage that did not finish cleanly counts as at least one failure.
		if (row.result !== 'ok' && row.failed === 0) row.failed = 1;
	}
	row.time = seconds(Date.now() - started);
	rows.push(row);
}

const total = rows.reduce(
	(t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
	{
		passed: 0,
		failed: 0,
		skipped: 0
	}
);
const table = [
	['Stage', 'Passed', 'Failed', 'Skipped', 'Time', 'Result'],
	...rows.map((r) => [r.name, r.passed, r.failed, r.skipped, r.time, r.result]),
	[
		'Total',
		total.passed,
		total.failed,
		total.skipped,
		seconds(Date.now() - startedAll),
		total.failed ? 'FAILED' : 'ok'
	]
].map((cells) => cells.map(String));
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const line = (cells) =>
	cells
		.map((c, i) => (i >= 1 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
		.join('  ')
		.trimEnd();
console.log('\n=== [test] summary ===\n');
console.log(line(table[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table.slice(1, -1)) console.log(line(r));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
console.log(line(table.at(-1)));
console.log('');
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = total.failed > 0 ? 1 : 0;
