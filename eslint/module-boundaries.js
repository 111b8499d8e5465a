// A local ESLint rule for the domain boundaries (docs/ARCHITECTURE.md, "Module boundaries"):
// - code outside a domain imports a domain only through its index (`$lib/server/<domain>`) or, for joins,
//   its `schema.ts`; routes (src/routes) and src/hooks.server.ts import domains through their index only;
// - inside a domain, relative imports are free;
// - `platform/` imports no domain, and `db/` only the domains' schema.ts (db/schema.ts re-exports them);
// - no domain imports the app-level modules at the top of src/lib/server (app.ts, the composition root),
//   which alone may import a domain's jobs/ (job definitions register themselves when imported).
// Every file under src/lib/server/<folder>/ other than platform/ and db/ counts as a domain.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = path.join(ROOT, 'src', 'lib', 'server');
const ROUTES = path.join(ROOT, 'src', 'routes');
const HOOKS = path.join(ROOT, 'src', 'hooks.server.ts');
const INFRA = new Set(['platform', 'db']);

/** Where an import points to, as an absolute path (null for packages and other aliases). */
function resolveSpecifier(file, spec) {
	if (spec === '$lib' || spec.startsWith('$lib/')) return path.join(ROOT, 'src', 'lib', spec.slice(5));
	if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
		return path.resolve(path.dirname(file), spec);
	}
	return null;
}

/** Splits a path under src/lib/server into its first folder and the rest (without extension). */
function serverPart(abs) {
	const rel = path.relative(SERVER, abs);
	if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
	const parts = rel.split(path.sep);
	const last = parts.length - 1;
	parts[last] = parts[last].replace(/\.(ts|js|svelte)$/, '');
	const isFile = parts.length === 1 && !isDirectory(path.join(SERVER, parts[0]));
	return { top: parts[0], rest: parts.slice(1), isFile };
}

const directories = new Map();
function isDirectory(dir) {
	if (!directories.has(dir)) directories.set(dir, fs.existsSync(dir) && fs.statSync(dir).isDirectory());
	return directories.get(dir);
}

function isIndex(rest) {
	return rest.length === 0 || (rest.length === 1 && rest[0] === 'index');
}

function isSchema(rest) {
	return rest.length === 1 && rest[0] === 'schema';
}

/** The message id for an import from `file` to `spec`, or null when allowed. */
export function boundaryViolation(file, spec) {
	const abs = resolveSpecifier(file, spec);
	if (!abs) return null;
	const to = serverPart(abs);
	if (!to) return null;
	const from = serverPart(file);
	const fromFolder = from && !from.isFile ? from.top : null;
	if (to.isFile) {
		// The top-level modules (app.ts) compose the domains: nothing inside a folder may import them
		// (a test may: it starts the app as the server does).
		return fromFolder && !file.endsWith('.test.ts') ? 'appModule' : null;
	}
	if (fromFolder === to.top) return null;
	if (INFRA.has(to.top)) return null;
	if (fromFolder === 'platform') return 'platformImportsDomain';
	if (fromFolder === 'db') return isSchema(to.rest) ? null : 'dbImportsDomain';
	const routeLike = file.startsWith(ROUTES + path.sep) || file === HOOKS;
	if (isIndex(to.rest)) return null;
	// The composition root registers each domain's job definitions (<domain>/jobs/index.ts).
	if (from?.isFile && to.rest.length === 1 && to.rest[0] === 'jobs') return null;
	if (isSchema(to.rest)) return routeLike ? 'routeImportsSchema' : null;
	return 'deepImport';
}

function sourceOf(node) {
	return node.source && typeof node.source.value === 'string' ? node.source : null;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
	meta: {
		type: 'problem',
		docs: { description: 'Domains are imported through their index.ts (schema.ts for joins)' },
		schema: [],
		messages: {
			deepImport:
				"Import the '{{domain}}' domain through its index ($lib/server/{{domain}}), or its schema.ts for a join, not '{{spec}}'.",
			routeImportsSchema:
				"Routes call domain functions: import $lib/server/{{domain}} (its index), not its tables ('{{spec}}').",
			platformImportsDomain:
				"platform/ imports no domain ('{{spec}}'): pass what it needs in, or compose it in src/lib/server/app.ts.",
			dbImportsDomain: "db/ imports only the domains' schema.ts ('{{spec}}').",
			appModule:
				"'{{spec}}' is the app's composition root: domains and platform/ do not import it (it imports them)."
		}
	},
	create(context) {
		const file = context.filename;
		function check(source) {
			if (!source) return;
			const messageId = boundaryViolation(file, source.value);
			if (!messageId) return;
			const to = serverPart(resolveSpecifier(file, source.value));
			context.report({ node: source, messageId, data: { spec: source.value, domain: to?.top ?? '' } });
		}
		return {
			ImportDeclaration: (node) => check(sourceOf(node)),
			ExportNamedDeclaration: (node) => check(sourceOf(node)),
			ExportAllDeclaration: (node) => check(sourceOf(node)),
			ImportExpression: (node) => check(node.source?.type === 'Literal' ? node.source : null)
		};
	}
};

export default { rules: { 'module-boundaries': rule } };
