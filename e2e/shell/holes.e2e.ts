// Holes closed (issue 9): the outbox page is for administrators, sign-in redirects stay on the site, a draft's
// CSV does not reveal the draft, and cover photos up to 8 MB go through (or get the real reason beside the field).
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { BASE_URL, msg, postForm, signInByPost } from '../fixtures';

const DEMO_PASSWORD = 'parvis-demo-2026';

async function get(path: string, cookie?: string): Promise<Response> {
	return fetch(`${BASE_URL}${path}`, {
		redirect: 'manual',
		headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }
	});
}

function decode(html: string): string {
	return html
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, '&');
}

describe('the mail outbox', () => {
	test('is for administrators only: nobody else can read a password-reset link there', async () => {
		// Someone asks a reset for the administrator's address…
		const asked = await fetch(`${BASE_URL}/password/forgot`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: BASE_URL,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email: 'admin@parvis.test' }).toString()
		});
		expect(asked.status).toBeLessThan(500);
		// …but cannot read the outbox, signed out or signed in without the role.
		expect((await get('/dev/mail')).status).toBe(404);
		const { cookie } = await signInByPost('contributor@parvis.test', DEMO_PASSWORD);
		const contributor = await get('/dev/mail', cookie);
		expect(contributor.status).toBe(404);
		expect(await contributor.text()).not.toContain('/password/reset?token=');

		const admin = await signInByPost('admin@parvis.test', DEMO_PASSWORD);
		const page = await get('/dev/mail', admin.cookie);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(msg('fr', 'dev_mail_title'));
	});
});

describe('returning after signing in', () => {
	test('a tab, a backslash or a newline in returnTo never leads off-site, and never gives a 500', async () => {
		// As typed in the address bar, and as the hidden field then carries it to the POST.
		for (const [returnTo, typed] of [
			['/%09/evil.example', '/\t/evil.example'],
			['/%5C/evil.example', '/\\/evil.example'],
			['/%5Cevil.example', '/\\evil.example'],
			['//evil.example', '//evil.example'],
			['/%0A', '/\n'],
			['/%0D%0ASet-Cookie:%20x=1', '/\r\nSet-Cookie: x=1'],
			['/%C3%A9t%C3%A9', '/été'],
			['/%E0%A4%A', '/%E0%A4%A']
		]) {
			const page = await get(`/signin?returnTo=${returnTo}`);
			expect(page.status, returnTo).toBe(200);
			// The form carries it to the POST: read as a browser reads it (tabs and newlines dropped,
			// backslashes as slashes), it must stay on this site.
			const html = decode(await page.text());
			const carried = [...html.matchAll(/<main[\s\S]*?name="returnTo" value="([^"]*)"/g)].map((m) => m[1]);
			for (const v of carried)
				expect(new URL(v, BASE_URL).origin, `${returnTo} carried as ${JSON.stringify(v)}`).toBe(BASE_URL);
			const response = await fetch(`${BASE_URL}/signin?returnTo=${returnTo}`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					origin: BASE_URL,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams({
					email: 'contributor@parvis.test',
					password: DEMO_PASSWORD,
					returnTo: typed
				}).toString()
			});
			expect(response.status, returnTo).toBe(303);
			const location = response.headers.get('location')!;
			expect(new URL(location, BASE_URL).origin, `${returnTo} → ${location}`).toBe(BASE_URL);
			expect(location, returnTo).not.toMatch(/[\t\n\r\\]|evil/);
		}
	});
});

describe('a project that is not public', () => {
	test('its contributions CSV answers 404, like its pages, not 403', async () => {
		const owner = await signInByPost('porteuse@parvis.test', DEMO_PASSWORD);
		const mine = await (await get('/me/projects', owner.cookie)).text();
		const slugs = [...new Set([...mine.matchAll(/href="\/projects\/([\w-]+)\/manage"/g)].map((m) => m[1]))];
		expect(slugs.length).toBeGreaterThan(0);
		const { cookie } = await signInByPost('contributor@parvis.test', DEMO_PASSWORD);
		let drafts = 0;
		for (const slug of slugs) {
			const publicPage = await get(`/projects/${slug}`, cookie);
			const csv = await get(`/projects/${slug}/manage/contributions.csv`, cookie);
			const manage = await get(`/projects/${slug}/manage`, cookie);
			expect(csv.status, slug).toBe(manage.status);
			if (publicPage.status === 404) {
				drafts++;
				expect(csv.status, slug).toBe(404);
			}
			expect((await get(`/projects/${slug}/manage/contributions.csv`, owner.cookie)).status).toBe(200);
		}
		expect(drafts).toBeGreaterThan(0);
	});
});

describe('cover photos', () => {
	async function photo(bytes: number): Promise<Buffer> {
		// Noise compresses badly: a JPEG of about `bytes`.
		const side = Math.ceil(Math.sqrt(bytes / 0.75));
		const raw = Buffer.alloc(side * side * 3);
		for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
		return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
			.jpeg({ quality: 92 })
			.toBuffer();
	}

	async function upload(cookie: string, slug: string, file: Buffer, alt: string): Promise<Response> {
		const body = new FormData();
		body.append('cover', new File([new Uint8Array(file)], 'photo.jpg', { type: 'image/jpeg' }));
		body.append('coverAlt', alt);
		return fetch(`${BASE_URL}/projects/${slug}/manage/details?/cover`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: BASE_URL, accept: 'text/html', cookie },
			body
		});
	}

	test('a 700 KB photo is taken; a damaged or too large one gets the reason beside the field, the text kept', async () => {
		const owner = await signInByPost('porteuse@parvis.test', DEMO_PASSWORD);
		const mine = await (await get('/me/projects', owner.cookie)).text();
		const slug = mine.match(/href="\/projects\/([\w-]+)\/manage"/)![1];

		const jpeg = await photo(700_000);
		expect(jpeg.length).toBeGreaterThan(600_000);
		expect(jpeg.length).toBeLessThan(1_000_000);
		const ok = await upload(owner.cookie, slug, jpeg, 'Le jardin au printemps');
		expect(ok.status).toBe(200);
		const saved = await (await get(`/projects/${slug}/manage/details`, owner.cookie)).text();
		expect(decode(saved)).toContain('alt="Le jardin au printemps"');

		const damaged = await upload(owner.cookie, slug, jpeg.subarray(0, 300_000), 'Une photo abîmée');
		expect(damaged.status).toBe(400);
		const damagedHtml = decode(await damaged.text());
		expect(damagedHtml).toContain(`id="field-cover-error">${msg('fr', 'projects_error_cover_unreadable')}<`);
		expect(damagedHtml).toContain('value="Une photo abîmée"');

		// 9 MB: read by the server, refused by Parvis with the limit it announces.
		const big = Buffer.concat([jpeg, Buffer.alloc(9 * 1024 * 1024)]);
		const tooBig = await upload(owner.cookie, slug, big, 'Trop grande');
		expect(tooBig.status).toBe(400);
		const tooBigHtml = decode(await tooBig.text());
		expect(tooBigHtml).toContain(`id="field-cover-error">${msg('fr', 'projects_error_cover_size')}<`);
		expect(tooBigHtml).toContain('value="Trop grande"');

		// Beyond the server's body limit, the same message beside the field (what was typed cannot be read).
		const huge = await upload(owner.cookie, slug, Buffer.alloc(12 * 1024 * 1024), 'x');
		expect(huge.status).toBe(413);
		expect(decode(await huge.text())).toContain(
			`id="field-cover-error">${msg('fr', 'projects_error_cover_size')}<`
		);
	});
});

describe('bad text and dates', () => {
	test('a NUL byte in a name is an error beside the field, the rest of what was typed kept', async () => {
		const response = await postForm('/signup', {
			displayName: 'Ana\u0000Lis',
			email: 'nul-byte@example.org',
			password: 'Un vélo-cargo sous la pluie 42',
			locale: 'fr'
		});
		expect(response.status).toBe(400);
		const html = decode(await response.text());
		expect(html).toContain(`id="field-displayName-error">${msg('fr', 'form_error_nul')}<`);
		expect(html).toContain('value="AnaLis"');
		expect(html).toContain('value="nul-byte@example.org"');
	});

	test('an impossible date is an error beside the field', async () => {
		const owner = await signInByPost('porteuse@parvis.test', DEMO_PASSWORD);
		const mine = await (await get('/me/projects', owner.cookie)).text();
		const slugs = [...mine.matchAll(/href="\/projects\/([\w-]+)\/manage"/g)].map((m) => m[1]);
		let checked = 0;
		for (const slug of slugs) {
			const response = await postForm(
				`/projects/${slug}/manage/stages?/add`,
				{ name: 'Chantier', description: '', startsOn: '2024-02-30', endsOn: '' },
				owner.cookie
			);
			if (response.status === 409) continue; // a project that can no longer be edited
			expect(response.status, slug).toBe(400);
			const html = decode(await response.text());
			expect(html).toContain(`id="new-stage-starts-error">${msg('fr', 'form_error_date')}<`);
			expect(html).toContain('value="Chantier"');
			checked++;
			break;
		}
		expect(checked).toBe(1);
	});

	test('NUL in an address is a 404 (page and API), not a 500', async () => {
		expect((await get('/projects/%00')).status).toBe(404);
		const api = await fetch(`${BASE_URL}/api/v1/projects/%00`);
		expect(api.status).toBe(404);
		expect((await api.json()).error.code).toBe('not_found');
		expect((await get('/projects?q=a%00b')).status).toBe(400);
	});
});
