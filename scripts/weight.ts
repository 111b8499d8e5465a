// `npx tsx scripts/weight.ts [baseUrl] [path …]`: what the browser gets for each page.
//
// For each path (default: `/`, `/projects` and the first project linked from `/projects`) it fetches the
// page as an anonymous visitor and reports:
// - the HTML, raw and gzipped;
// - the JavaScript the page loads at start-up, gzipped: every module named by the page (modulepreload
//   links in the `Link` header or the HTML, `<script src>`, the `import("…")` of SvelteKit's start script)
//   and, transitively, every module those import statically (`import … from "./x.js"`). Modules that are
//   only imported dynamically (`import("./leaflet.js")` when the map scrolls into view) are not counted:
//   the browser does not fetch them at start-up;
// - the serialized data: SvelteKit's inline hydration payload (`data: [...]` in the start script), and
//   the size of the page's `__data.json` (what a client-side navigation to it fetches);
// - the CSS, gzipped: stylesheets linked from the page plus inline `<style>` blocks;
// - PASS/FAIL against the issue's targets: ≤ 50 KB of JavaScript (gzip) and ≤ 30 KB of data.
//
// From another script (scripts/bench.ts): `const rows = await measureWeight(baseUrl, paths)`, then
// `printWeight(rows)`; with `paths` omitted, the three pages above. The server must be running.
import { gzipSync } from 'node:zlib';

/** The issue's targets for one page (bytes). */
export const WEIGHT_TARGETS = { jsGzip: 50 * 1024, data: 30 * 1024 };

/** What one page weighs. Sizes in bytes. */
export interface WeightRow {
	path: string;
	status: number;
	htmlRaw: number;
	htmlGzip: number;
	/** Modules loaded at start-up (transitively, static imports only), gzipped, summed. */
	jsGzip: number;
	jsFiles: number;
	/** Each module's gzipped size, biggest first (file name relative to the site). */
	jsChunks: { file: string; gzip: number }[];
	/** The inline hydration payload (`data: [...]` of the start script), raw. */
	dataInline: number;
	/** `<path>/__data.json` raw (0 when the page has none, e.g. `csr = false`). */
	dataJson: number;
	cssGzip: number;
	cssFiles: number;
	jsPass: boolean;
	dataPass: boolean;
}

// A fresh render each time (and identity, to count raw bytes): the public page cache keys a page and its
// `__data.json` alike, so a cached answer could be the other one.
const FRESH = { 'accept-encoding': 'identity', 'cache-control': 'no-cache' };

const gz = (s: string | Uint8Array) => gzipSync(s, { level: 9 }).length;

async function fetchText(url: string): Promise<{ status: number; text: string; headers: Headers }> {
	const res = await fetch(url, { headers: FRESH, redirect: 'manual' });
	return { status: res.status, text: await res.text(), headers: res.headers };
}

/** The URLs a page names for its start-up JavaScript and its stylesheets. */
function pageAssets(html: string, linkHeader: string | null, pageUrl: string) {
	const js = new Set<string>();
	const css = new Set<string>();
	const abs = (href: string) => new URL(href, pageUrl).href;
	for (const part of (linkHeader ?? '').split(/,(?=\s*<)/)) {
		const m = /<([^>]+)>(.*)/.exec(part.trim());
		if (!m) continue;
		if (/rel="?modulepreload/.test(m[2])) js.add(abs(m[1]));
		else if (/as="?style/.test(m[2])) css.add(abs(m[1]));
	}
	for (const tag of html.match(/<link\b[^>]*>/g) ?? []) {
		const href = /href="([^"]+)"/.exec(tag)?.[1];
		if (!href) continue;
		if (/rel="?modulepreload/.test(tag)) js.add(abs(href));
		// A disabled stylesheet is one SvelteKit inlined (it names it for client-side navigation only).
		else if (/rel="?stylesheet/.test(tag) && !/\bdisabled\b/.test(tag)) css.add(abs(href));
	}
	for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) js.add(abs(m[1]));
	for (const script of inlineScripts(html)) {
		for (const m of script.matchAll(/import\(\s*"([^"]+\.js)"\s*\)/g)) js.add(abs(m[1]));
	}
	return { js, css };
}

function inlineScripts(html: string): string[] {
	return [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

/** SvelteKit's hydration payload: the `data: [...]` argument of `kit.start`, as sent. */
function inlineData(html: string): number {
	let total = 0;
	for (const script of inlineScripts(html)) {
		const start = script.indexOf('data: [');
		if (start < 0) continue;
		const end = script.indexOf('form:', start);
		total += Buffer.byteLength(script.slice(start, end < 0 ? undefined : end));
	}
	return total;
}

/** Static imports of a built module (`import{a}from"./x.js"`, `import"./x.js"`, `export … from`). */
function staticImports(code: string, fileUrl: string): string[] {
	const out: string[] = [];
	const re = /(?:^|[;}\s])(?:import|export)\s*(?:[\w*${}\s,]*?from\s*)?["']([^"']+\.js)["']/g;
	for (const m of code.matchAll(re)) out.push(new URL(m[1], fileUrl).href);
	return out;
}

const fileCache = new Map<string, Promise<string>>();
function fetchAsset(url: string): Promise<string> {
	let p = fileCache.get(url);
	if (!p) {
		p = fetch(url, { headers: { 'accept-encoding': 'identity' } }).then((r) => (r.ok ? r.text() : ''));
		fileCache.set(url, p);
	}
	return p;
}

async function jsClosure(roots: Iterable<string>): Promise<Map<string, string>> {
	const seen = new Map<string, string>();
	let queue = [...roots];
	while (queue.length) {
		const batch = queue.filter((u) => !seen.has(u));
		queue = [];
		const codes = await Promise.all(batch.map(fetchAsset));
		batch.forEach((u, i) => {
			if (seen.has(u)) return;
			seen.set(u, codes[i]);
			queue.push(...staticImports(codes[i], u));
		});
	}
	return seen;
}

/** Measures each path of a running Parvis (see the top of this file). */
export async function measureWeight(baseUrl: string, paths?: string[]): Promise<WeightRow[]> {
	const base = baseUrl.replace(/\/$/, '');
	if (!paths) paths = await defaultPaths(base);
	const rows: WeightRow[] = [];
	for (const path of paths) {
		const url = base + path;
		const page = await fetchText(url);
		const { js, css } = pageAssets(page.text, page.headers.get('link'), url);
		const modules = await jsClosure(js);
		const jsChunks = [...modules]
			.map(([u, code]) => ({ file: new URL(u).pathname, gzip: gz(code) }))
			.sort((a, b) => b.gzip - a.gzip);
		const cssTexts = await Promise.all([...css].map(fetchAsset));
		const inlineCss = [...page.text.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
		const dataRes = await fetch(`${url.replace(/\/$/, '')}/__data.json`, { headers: FRESH });
		const dataJson =
			dataRes.ok && /json/.test(dataRes.headers.get('content-type') ?? '')
				? (await dataRes.arrayBuffer()).byteLength
				: 0;
		const jsGzip = jsChunks.reduce((s, c) => s + c.gzip, 0);
		const dataInline = inlineData(page.text);
		rows.push({
			path,
			status: page.status,
			htmlRaw: Buffer.byteLength(page.text),
			htmlGzip: gz(page.text),
			jsGzip,
			jsFiles: jsChunks.length,
			jsChunks,
			dataInline,
			dataJson,
			cssGzip: [...cssTexts, ...inlineCss].reduce((s, c) => s + gz(c), 0),
			cssFiles: css.size,
			jsPass: jsGzip <= WEIGHT_TARGETS.jsGzip,
			dataPass: Math.max(dataInline, dataJson) <= WEIGHT_TARGETS.data
		});
	}
	return rows;
}

/** `/`, `/projects` and the first project page linked from `/projects`. */
async function defaultPaths(base: string): Promise<string[]> {
	const list = await fetchText(`${base}/projects`);
	const slug = /href="\/projects\/([a-z0-9-]+)"/.exec(list.text)?.[1];
	return ['/', '/projects', ...(slug ? [`/projects/${slug}`] : [])];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The rows as a table (and, with `chunks`, each page's five biggest modules). */
export function formatWeight(rows: WeightRow[], chunks = false): string {
	const head = [
		'page',
		'HTML raw',
		'HTML gz',
		'JS gz (files)',
		'data inline',
		'__data.json',
		'CSS gz',
		'verdict'
	];
	const body = rows.map((r) => [
		`${r.path}${r.status === 200 ? '' : ` (${r.status})`}`,
		kb(r.htmlRaw),
		kb(r.htmlGzip),
		`${kb(r.jsGzip)} (${r.jsFiles})`,
		kb(r.dataInline),
		kb(r.dataJson),
		`${kb(r.cssGzip)} (${r.cssFiles})`,
		`JS ${r.jsPass ? 'PASS' : 'FAIL'} · data ${r.dataPass ? 'PASS' : 'FAIL'}`
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
	const out = [line(head), ...body.map(line)];
	if (chunks) {
		for (const r of rows) {
			out.push('', `${r.path}: biggest modules (gzip)`);
			for (const c of r.jsChunks.slice(0, 8)) out.push(`  ${kb(c.gzip).padStart(9)}  ${c.file}`);
		}
	}
	out.push('', `targets: JS ≤ ${kb(WEIGHT_TARGETS.jsGzip)} gzip, data ≤ ${kb(WEIGHT_TARGETS.data)}`);
	return out.join('\n');
}

/** Prints the table. */
export function printWeight(rows: WeightRow[], chunks = false): void {
	console.log(formatWeight(rows, chunks));
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
	const [base = 'http://localhost:3000', ...paths] = process.argv.slice(2);
	measureWeight(base, paths.length ? paths : undefined)
		.then((rows) => printWeight(rows, true))
		.catch((e: unknown) => {
			console.error(e);
			process.exit(1);
		});
}
