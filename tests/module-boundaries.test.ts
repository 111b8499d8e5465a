// The domain boundaries (docs/ARCHITECTURE.md, "Module boundaries"), checked two ways: ESLint's local
// rule (eslint/module-boundaries.js) run on fixture files, and a walk over the imports of every folder of
// src/lib/server that finds any import cycle between domains and any domain imported by platform/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const SERVER = join(ROOT, 'src', 'lib', 'server');

async function lint(file: string) {
	// ignore: false, because the config ignores tests/fixtures/ for `npm run check`.
	const eslint = new ESLint({ cwd: ROOT, ignore: false });
	const [result] = await eslint.lintFiles([file]);
	return result.messages.filter((m) => m.ruleId === 'parvis/module-boundaries');
}

describe('the module-boundaries lint rule', () => {
	it('fails on a deep import into another domain, by alias or relative path', async () => {
		const messages = await lint('tests/fixtures/deep-import.ts');
		expect(messages.map((m) => [m.line, m.severity])).toEqual([
			[3, 2],
			[4, 2]
		]);
		expect(messages[0].message).toContain('$lib/server/ledger');
	}, 60_000);

	it('accepts the same functions through the index, and a join through schema.ts', async () => {
		expect(await lint('tests/fixtures/index-import.ts')).toEqual([]);
	}, 60_000);
});

/** Every .ts file under a folder (tests excluded: they may start the whole app). */
function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
	});
}

const folders = readdirSync(SERVER).filter((n) => statSync(join(SERVER, n)).isDirectory());
const INFRA = new Set(['db', 'platform']);

/** The folder of src/lib/server an import points into, and whether it is that folder's schema.ts. */
function target(file: string, spec: string): { folder: string; schema: boolean } | null {
	let path: string;
	if (spec.startsWith('$lib/')) path = join(ROOT, 'src', 'lib', spec.slice(5));
	else if (spec.startsWith('.')) path = normalize(join(dirname(file), spec));
	else return null;
	const rel = relative(SERVER, path);
	if (rel.startsWith('..')) return null;
	const parts = rel.split(sep);
	if (parts.length === 1 && !folders.includes(parts[0])) return null;
	return { folder: parts[0], schema: parts.length === 2 && parts[1].replace(/\.ts$/, '') === 'schema' };
}

/** Folder → folders it imports. Schema-to-schema imports (foreign keys) are a graph of their own. */
function graphs() {
	const code = new Map<string, Map<string, string>>();
	const schemas = new Map<string, Map<string, string>>();
	for (const folder of folders) {
		code.set(folder, new Map());
		schemas.set(folder, new Map());
		for (const file of sources(join(SERVER, folder))) {
			const text = readFileSync(file, 'utf8');
			const isSchema = relative(join(SERVER, folder), file) === 'schema.ts';
			for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)) {
				const to = target(file, m[1]);
				if (!to || to.folder === folder) continue;
				const where = `${relative(ROOT, file)} → ${m[1]}`;
				// A join on another domain's table is not a dependency on its code.
				if (isSchema && to.schema) schemas.get(folder)!.set(to.folder, where);
				else if (!to.schema) code.get(folder)!.set(to.folder, where);
			}
		}
	}
	return { code, schemas };
}

/** The cycles of a graph, each as the path that closes it (one per strongly connected entry point). */
function cycles(graph: Map<string, Map<string, string>>, skip: Set<string>): string[][] {
	const found: string[][] = [];
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	function visit(node: string) {
		state.set(node, 'open');
		stack.push(node);
		for (const next of graph.get(node)?.keys() ?? []) {
			if (skip.has(next)) continue;
			if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(node, 'done');
	}
	for (const node of graph.keys()) if (!skip.has(node) && !state.has(node)) visit(node);
	return found;
}

describe('the imports between the folders of src/lib/server', () => {
	const { code, schemas } = graphs();

	it('has no cycle between domains', () => {
		expect(code.get('projects')?.size, 'the walk reads imports').toBeGreaterThan(0);
		expect(cycles(code, INFRA).map((c) => c.join(' → '))).toEqual([]);
	});

	it('has no cycle between the domains’ schema.ts files', () => {
		expect(cycles(schemas, new Set()).map((c) => c.join(' → '))).toEqual([]);
	});

	it('keeps platform/ free of any domain', () => {
		const reached = [...(code.get('platform')?.entries() ?? [])].filter(([to]) => to !== 'db');
		expect(reached.map(([, where]) => where)).toEqual([]);
	});

	it('finds a cycle when there is one (the walk itself)', () => {
		const g = new Map([
			['a', new Map([['b', '']])],
			['b', new Map([['c', '']])],
			['c', new Map([['a', '']])]
		]);
		expect(cycles(g, new Set())).toEqual([['a', 'b', 'c', 'a']]);
	});
});
