// Bad input never gets a 5xx. Every form action and every +server.ts handler is found in the route files
// (a new route is covered without touching this file), every API parameter in the OpenAPI document; each
// is sent NUL bytes, huge strings, impossible dates, non-UUID ids, prototype keys, absurd numbers and
// 50-value lists, anonymously and signed in as a demo account. Plain HTTP: no browser needed.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BASE_URL, GOOD_PASSWORD, mailLink, postForm, signInByPost, uniqueEmail } from '../fixtures';

const ROUTES = 'src/routes';

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const path = join(dir, entry);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

const files = walk(ROUTES);

/** `/(app)/projects/[slug]/manage` → its URL pattern segments. */
function routeOf(file: string): string {
	const dir = relative(ROUTES, dirname(file)).split(sep).filter(Boolean);
	return '/' + dir.filter((s) => !/^\(.*\)$/.test(s)).join('/');
}

/** Action names: keys of `export const actions = {…}` and every `?/name` the pages of that folder post to. */
function actionNames(serverFile: string): string[] {
	const source = readFileSync(serverFile, 'utf8');
	const block = source.slice(source.indexOf('export const actions'));
	const names = new Set([...block.matchAll(/^\t(\w+)\s*[:(]/gm)].map((m) => m[1]));
	// Actions built by a helper (`...orderedListActions()`) are read from the forms that use them.
	let dir = dirname(serverFile);
	const svelteHere = files.filter((f) => f.endsWith('.svelte') && dirname(f) === dir);
	for (;;) {
		const parent = dirname(dir);
		if (!parent.startsWith(ROUTES) || parent === dir) break;
		svelteHere.push(
			...files.filter((f) => f.endsWith('.svelte') && dirname(f) === parent && !f.includes('+'))
		);
		dir = parent;
	}
	for (const f of svelteHere) for (const m of readFileSync(f, 'utf8').matchAll(/\?\/(\w+)/g)) names.add(m[1]);
	return [...names];
}

/** Every field name a form of the app uses (name="…" in the components, values.x / get('x') in the routes). */
const fieldNames = (() => {
	const names = new Set<string>();
	for (const f of walk('src').filter((p) => /\.(svelte|ts)$/.test(p))) {
		const text = readFileSync(f, 'utf8');
		for (const m of text.matchAll(/\bname="(\w+)"/g)) names.add(m[1]);
		if (f.startsWith(ROUTES))
			for (const m of text.matchAll(/(?:values\.(\w+)|\.get\('(\w+)'\))/g)) names.add(m[1] ?? m[2]);
	}
	return [...names];
})();

const FUZZ: Record<string, string | string[]> = {
	nul: 'a\u0000b',
	nulOnly: '\u0000',
	huge: 'x'.repeat(30_000),
	impossibleDate: '2024-02-30',
	notUuid: 'abc',
	path: '../../../etc/passwd',
	toString: 'toString',
	proto: '__proto__',
	constructor: 'constructor',
	negative: '-1',
	hugeNumber: '1e308',
	longDigits: '99999999999999999999999',
	controls: 'a\r\nb\tc\u0008',
	list: Array.from({ length: 50 }, (_, i) => String(i))
};

const URL_FUZZ: Record<string, string> = {
	nul: '%00',
	nulInside: 'a%00b',
	huge: 'x'.repeat(3000),
	impossibleDate: '2024-02-30',
	notUuid: 'abc',
	toString: 'toString',
	proto: '__proto__',
	negative: '-1',
	hugeNumber: '1e308',
	newline: '%0A%0D',
	nonAscii: '%C3%A9t%C3%A9',
	badPercent: '%E0%A4%A',
	controls: '%09%08'
};

interface Actor {
	name: string;
	cookie?: string;
}

/** Real values for the route parameters: the first link of the parent listing (as this actor), else a dud. */
async function paramValue(route: string, param: string, actor: Actor): Promise<string> {
	const before = route.slice(0, route.indexOf(`[${param}]`)).replace(/\/$/, '');
	const listings = [
		// A team's pages: the actor's own project first.
		route.includes('/manage') ? '/me/projects' : '',
		before,
		before === '/projects' ? '/me/projects' : '',
		before === '/contributions' ? '/me/contributions' : ''
	];
	for (const listing of listings.filter(Boolean)) {
		if (/\[/.test(listing)) continue;
		const res = await fetch(`${BASE_URL}${listing}`, {
			headers: actor.cookie ? { cookie: actor.cookie } : {},
			redirect: 'manual'
		});
		if (res.status !== 200) continue;
		const html = await res.text();
		const re = new RegExp(`href="${before.replace(/[/]/g, '\\/')}\\/([\\w-]+)`, 'g');
		const found = [...html.matchAll(re)].map((m) => m[1]).filter((v) => v !== 'new');
		if (found.length) return found[0];
	}
	return param === 'id' ? '00000000-0000-4000-8000-000000000000' : 'no-such-thing';
}

async function concrete(route: string, actor: Actor): Promise<string> {
	let path = route;
	for (const m of route.matchAll(/\[(?:\.\.\.)?(\w+)(?:=\w+)?\]/g))
		path = path.replace(m[0], await paramValue(route, m[1], actor));
	return path;
}

function formBody(value: string | string[], names = fieldNames): string {
	const body = new URLSearchParams();
	for (const name of names) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
	return body.toString();
}

/**
 * One request with node:http rather than fetch: a server may answer (a redirect to sign in, a 413) before
 * reading a large body and close the connection; fetch then reports only the reset, node:http the answer.
 */
function send(
	method: string,
	path: string,
	actor: Actor,
	body?: string
): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		let answered = false;
		const req = request(
			`${BASE_URL}${path}`,
			{
				method,
				agent: false,
				headers: {
					origin: BASE_URL,
					accept: 'text/html',
					...(body
						? {
								'content-type': 'application/x-www-form-urlencoded',
								'content-length': Buffer.byteLength(body)
							}
						: {}),
					...(actor.cookie ? { cookie: actor.cookie } : {})
				}
			},
			(res) => {
				answered = true;
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				// The answer is known from its status line; a body cut short by a dropped connection is fine.
				res.on('error', () => resolve({ status: res.statusCode ?? 0, text: '' }));
				res.on('close', () => resolve({ status: res.statusCode ?? 0, text: '' }));
				res.on('end', () => {
					const status = res.statusCode ?? 0;
					resolve({
						status,
						text: status >= 500 ? Buffer.concat(chunks).toString('utf8').slice(0, 200) : ''
					});
				});
			}
		);
		req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
		req.on('error', (e) => {
			if (!answered) reject(new Error(`${method} ${path.slice(0, 100)}: ${e.message}`));
		});
		req.end(body);
	});
}

/**
 * Every known field set to `value` at once. A route that answers without reading a body of megabytes (a
 * redirect to sign in, a refusal) has SvelteKit drop the connection, which can swallow its answer: such a
 * route decided without the body, so the same request with shorter values, then none, tells its answer.
 */
async function post(method: string, url: string, actor: Actor, value: string | string[]) {
	const shorter = (v: string) => v.slice(0, 1000);
	for (const v of [value, Array.isArray(value) ? value.map(shorter) : shorter(value), '']) {
		try {
			return await send(method, url, actor, formBody(v));
		} catch {
			/* connection dropped: try a smaller body */
		}
	}
	return send(method, url, actor);
}

const pageServers = files.filter((f) => f.endsWith('+page.server.ts'));
const actionRoutes = pageServers
	.filter((f) => /export const actions/.test(readFileSync(f, 'utf8')))
	.map((f) => ({ route: routeOf(f), actions: actionNames(f) }));
// Signing out last: the signed-in actor stays signed in for the others.
const endpoints = files
	.filter((f) => f.endsWith('+server.ts'))
	.sort((a, b) => Number(a.includes('signout')) - Number(b.includes('signout')))
	.map((f) => ({
		route: routeOf(f),
		methods: [...readFileSync(f, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map(
			(m) => m[1]
		)
	}));
const pageRoutes = [...new Set(files.filter((f) => /\+page\.svelte$/.test(f)).map(routeOf))];

/** A fresh account with a draft project of its own: the team's forms are fuzzed on it, not on demo data. */
async function freshOwner(): Promise<Actor> {
	const email = uniqueEmail('fuzz');
	const signup = await postForm('/signup', {
		displayName: 'Fuzz',
		email,
		password: GOOD_PASSWORD,
		locale: 'fr'
	});
	expect(signup.status).toBe(303);
	const token = new URL(await mailLink(email, 'verify')).searchParams.get('token')!;
	expect((await postForm('/verify-email', { token })).status).toBe(303);
	const { cookie } = await signInByPost(email, GOOD_PASSWORD);
	// A territory offered by the new-project form.
	const newPage = await (await fetch(`${BASE_URL}/projects/new`, { headers: { cookie } })).text();
	const territoryId = newPage.match(
		/value="([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/
	)![1];
	const created = await postForm('/projects/new', { title: 'Projet du fuzz', territoryId }, cookie);
	expect(created.status).toBe(303);
	expect(created.headers.get('location')).toMatch(/\/manage/);
	return { name: 'owner', cookie };
}

let owner: Actor | undefined;

async function actors(): Promise<Actor[]> {
	const { cookie } = await signInByPost('contributor@parvis.test', 'parvis-demo-2026');
	owner ??= await freshOwner();
	return [{ name: 'anonymous' }, { name: 'contributor', cookie }, owner];
}

describe('fuzzing every form action, endpoint and API parameter', () => {
	test('the route files were read', () => {
		expect(actionRoutes.length).toBeGreaterThan(20);
		expect(actionRoutes.flatMap((r) => r.actions)).toEqual(
			expect.arrayContaining(['default', 'add', 'delete'])
		);
		expect(fieldNames).toEqual(expect.arrayContaining(['displayName', 'title', 'startsOn', 'kind', 'id']));
		expect(endpoints.some((e) => e.route === '/api/v1/projects/[slug]')).toBe(true);
	});

	test('no form action answers 5xx to bad values', async () => {
		const failures: string[] = [];
		let sent = 0;
		for (const actor of await actors()) {
			for (const { route, actions } of actionRoutes) {
				const path = await concrete(route, actor);
				for (const action of actions) {
					const url = action === 'default' ? path : `${path}?/${action}`;
					for (const [kind, value] of Object.entries(FUZZ)) {
						const r = await post('POST', url, actor, value);
						sent++;
						if (r.status >= 500) failures.push(`${actor.name} POST ${url} [${kind}] → ${r.status} ${r.text}`);
					}
				}
			}
			for (const { route, methods } of endpoints) {
				const path = await concrete(route, actor);
				for (const method of methods.filter((m) => m !== 'GET')) {
					for (const [kind, value] of Object.entries(FUZZ)) {
						const r = await post(method, path, actor, value);
						sent++;
						if (r.status >= 500)
							failures.push(`${actor.name} ${method} ${path} [${kind}] → ${r.status} ${r.text}`);
					}
				}
			}
		}
		expect(sent).toBeGreaterThan(500);
		expect(failures).toEqual([]);
	}, 600_000);

	test('no page, endpoint or route parameter answers 5xx to bad values in the URL', async () => {
		const failures: string[] = [];
		const routes = [
			...pageRoutes,
			...endpoints.filter((e) => e.methods.includes('GET')).map((e) => e.route)
		].filter((r) => /\[/.test(r));
		for (const actor of await actors()) {
			for (const route of routes) {
				const params = [...route.matchAll(/\[(?:\.\.\.)?(\w+)(?:=\w+)?\]/g)];
				for (const m of params) {
					const rest = await concrete(route.replace(m[0], '§'), actor);
					for (const [kind, value] of Object.entries(URL_FUZZ)) {
						const path = rest.replace('§', value);
						const r = await send('GET', path, actor);
						if (r.status >= 500)
							failures.push(`${actor.name} GET ${path.slice(0, 120)} [${kind}] → ${r.status} ${r.text}`);
					}
				}
			}
			// The receipt download answers 404 to an id that is not a UUID.
			expect((await send('GET', '/me/receipts/abc.pdf', actor)).status).toBe(404);
		}
		expect(failures).toEqual([]);
	});

	test('no API parameter of the OpenAPI document answers 5xx to bad values', async () => {
		const doc = (await (await fetch(`${BASE_URL}/api/v1/openapi.json`)).json()) as {
			paths: Record<string, Record<string, { parameters?: { $ref?: string; name?: string; in?: string }[] }>>;
			components: { parameters: Record<string, { name: string; in: string }> };
		};
		const failures: string[] = [];
		let checked = 0;
		for (const [template, operations] of Object.entries(doc.paths)) {
			for (const [method, op] of Object.entries(operations)) {
				if (method !== 'get') continue;
				const params = (op.parameters ?? []).map((p) =>
					p.$ref ? doc.components.parameters[p.$ref.split('/').pop()!] : (p as { name: string; in: string })
				);
				for (const target of params) {
					for (const [kind, value] of Object.entries(URL_FUZZ)) {
						// Values are sent as written (already percent-encoded where they must be).
						let path = `/api/v1${template}`;
						const query: string[] = [];
						for (const p of params) {
							const v = p === target ? value : p.in === 'path' ? 'jardin' : '';
							if (p.in === 'path') path = path.replace(`{${p.name}}`, v);
							else if (v) query.push(`${encodeURIComponent(p.name)}=${v}`);
						}
						const url = `${path}${query.length ? `?${query.join('&')}` : ''}`;
						const r = await send('GET', url, { name: 'anonymous' });
						checked++;
						if (r.status >= 500)
							failures.push(`GET ${url.slice(0, 120)} [${target.name}=${kind}] → ${r.status} ${r.text}`);
					}
				}
				// Every query parameter given 50 times at once.
				const many = new URLSearchParams();
				for (const p of params.filter((p) => p.in === 'query'))
					for (let i = 0; i < 50; i++) many.append(p.name, String(i));
				const r = await send('GET', `/api/v1${template.replace(/\{\w+\}/g, 'x')}?${many}`, {
					name: 'anonymous'
				});
				if (r.status >= 500) failures.push(`GET ${template} with 50 values per parameter → ${r.status}`);
			}
		}
		expect(checked).toBeGreaterThan(50);
		expect(failures).toEqual([]);
	});

	test('the server log carries no password hash and no query parameters', () => {
		const log = readFileSync('test-results/e2e-server.log', 'utf8');
		expect(log).not.toMatch(/\$argon2/);
		expect(log).not.toMatch(/^params:/m);
	});
});
