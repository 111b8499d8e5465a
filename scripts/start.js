// `npm start`: builds Parvis when there is no build (or the sources are newer), then serves it.
// The server itself migrates the database, loads demo content on a first embedded start and runs the worker.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const BUILD = 'build/index.js';

function newestMtime(path) {
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let newest = s.mtimeMs;
	for (const entry of readdirSync(path)) {
		if (entry === 'paraglide') continue;
		newest = Math.max(newest, newestMtime(join(path, entry)));
	}
	return newest;
}

function needsBuild() {
	if (!existsSync(BUILD)) return true;
	const built = statSync(BUILD).mtimeMs;
	const sources = ['src', 'messages', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
	return sources.some((p) => existsSync(p) && newestMtime(p) > built);
}

if (needsBuild()) {
	console.log('[parvis] Building…');
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

process.env.PORT ??= '3000';
process.env.NODE_ENV ??= 'production';
// SvelteKit needs the public origin to check form posts; locally it is http://localhost:PORT.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// Cover photos are announced up to 8 MB; adapter-node's default body limit (512 KB) would refuse them
// before Parvis could say why. A multipart form adds a little to the file itself.
process.env.BODY_SIZE_LIMIT ??= '10M';
// The mail outbox page (/dev/mail, administrators only) stays on for an embedded instance without SMTP,
// so that an administrator can read what Parvis would have sent.
if (!process.env.SMTP_URL && !process.env.DATABASE_URL) process.env.PARVIS_DEV_PAGES ??= '1';
// A first embedded start (PGlite, no data yet) runs initdb, the migrations and the demo load in a process
// of its own, which then exits: what they leave behind (initdb's WebAssembly instance, allocator arenas of
// the password hashing and image drawing threads) would otherwise stay resident in the server, about
// 150 MB of it (docs/performance/server.md).
const dataDir = resolve(process.env.PARVIS_DATA_DIR || './data');
if (!process.env.DATABASE_URL && !existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))) {
	console.log(`[parvis] First start: creating the embedded database in ${dataDir}…`);
	const r = spawnSync(process.execPath, [BUILD], {
		stdio: 'inherit',
		env: { ...process.env, PARVIS_PREPARE_ONLY: '1' }
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
}
console.log(`[parvis] Starting on ${process.env.ORIGIN}`);
await import(join(process.cwd(), BUILD));
