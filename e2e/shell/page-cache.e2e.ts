// The public page cache on the running app: an anonymous visitor's page is served again with a fresh
// CSP nonce, a signed-in person always gets a fresh render, and a contribution made through the site
// shows at once on the public page and in the API (the write moves the public data version).
import { describe, expect, test } from 'vitest';
import { BASE_URL, postForm, signInByPost } from '../fixtures';

interface ApiNeed {
	id: string;
	kind: string;
	target: number;
	fulfilled: number;
}
interface ApiProject {
	slug: string;
	status: string;
	needs: ApiNeed[];
}

const nonceOf = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get('content-security-policy') ?? '')?.[1];

async function anonymous(path: string) {
	const response = await fetch(BASE_URL + path, { headers: { 'accept-language': 'fr-FR' } });
	return { response, body: await response.text(), cache: response.headers.get('x-cache') };
}

/** The demo contributor's session cookie. */
const signInCookie = async () => (await signInByPost('contributor@parvis.test', 'parvis-demo-2026')).cookie;

describe('public page cache', () => {
	test('serves an anonymous page again with a new nonce, identical otherwise', async () => {
		// A hydrated page (with SvelteKit's inline start script); /projects is not hydrated (no nonce).
		await anonymous('/territories?sort=newest');
		const first = await anonymous('/territories?sort=newest');
		const second = await anonymous('/territories?sort=newest');
		expect(first.response.status).toBe(200);
		expect(second.cache).toBe('HIT');
		const [a, b] = [nonceOf(first.response), nonceOf(second.response)];
		expect(a).toBeTruthy();
		expect(b).toBeTruthy();
		expect(b).not.toBe(a);
		expect(second.body).toContain(`nonce="${b}"`);
		expect(second.body).not.toContain(a!);
		expect(second.body.replaceAll(b!, '')).toBe(first.body.replaceAll(a!, ''));
	});

	test('never answers a signed-in person from the cache', async () => {
		const cookie = await signInCookie();
		for (let i = 0; i < 2; i++) {
			const response = await fetch(`${BASE_URL}/projects?sort=newest`, { headers: { cookie } });
			expect(response.status).toBe(200);
			expect(response.headers.get('x-cache')).toBeNull();
			expect(response.headers.get('cache-control')).toBe('private, no-store');
			expect(await response.text()).toContain('action="/signout"');
		}
	});

	test('a contribution shows at once on the cached project page and API', async () => {
		const list = (await (
			await fetch(`${BASE_URL}/api/v1/projects?need=expertise&status=published&per_page=100`)
		).json()) as { data: ApiProject[] };
		const project = list.data.find((p) =>
			p.needs.some((n) => n.kind === 'expertise' && n.fulfilled + 1 <= n.target)
		);
		expect(project, 'a published project with hours left to offer').toBeTruthy();
		const need = project!.needs.find((n) => n.kind === 'expertise' && n.fulfilled + 1 <= n.target)!;
		const apiPath = `/api/v1/projects/${project!.slug}`;
		const pagePath = `/projects/${project!.slug}`;

		await anonymous(apiPath);
		await anonymous(pagePath);
		const before = await anonymous(apiPath);
		expect(before.cache).toBe('HIT');
		const fulfilledBefore = (JSON.parse(before.body) as { data: ApiProject }).data.needs.find(
			(n) => n.id === need.id
		)!.fulfilled;
		expect((await anonymous(pagePath)).cache).toBe('HIT');

		// One hour offered through the project page's form, as the browser posts it.
		const cookie = await signInCookie();
		const offer = await postForm(`${pagePath}?/offer`, { needId: need.id, hours: '1', message: '' }, cookie);
		expect(offer.status).toBe(200);

		const after = await anonymous(apiPath);
		expect(after.cache).toBe('MISS');
		const fulfilledAfter = (JSON.parse(after.body) as { data: ApiProject }).data.needs.find(
			(n) => n.id === need.id
		)!.fulfilled;
		expect(fulfilledAfter).toBe(fulfilledBefore + 1);
		const page = await anonymous(pagePath);
		expect(page.cache).toBe('MISS');
		expect((await anonymous(apiPath)).cache).toBe('HIT');
	});
});
