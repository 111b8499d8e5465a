// HTML and JSON go out compressed when the client accepts it (brotli or gzip, `Vary: Accept-Encoding`),
// raw otherwise; a page from the public cache is gzipped with its fresh nonce; tiny answers stay raw.
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { BASE_URL, signInByPost } from '../fixtures';

interface Raw {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	bytes: Buffer;
	text: string;
}

/** A GET through node:http, which decodes nothing: the bytes as sent. */
function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
	return new Promise((resolve, reject) => {
		const req = request(new URL(path, BASE_URL), { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const bytes = Buffer.concat(chunks);
				const encoding = res.headers['content-encoding'];
				const text = (
					encoding === 'br' ? brotliDecompressSync(bytes) : encoding === 'gzip' ? gunzipSync(bytes) : bytes
				).toString('utf8');
				resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, text });
			});
		});
		req.on('error', reject);
		req.end();
	});
}

const nonceOf = (r: Raw) =>
	/'nonce-([^']+)'/.exec(String(r.headers['content-security-policy'] ?? ''))?.[1] ?? '';
const withoutNonce = (r: Raw) => r.text.replaceAll(nonceOf(r) || '\u0000', 'NONCE');

describe('compression', () => {
	test('a cached public page: gzip or brotli when accepted, the same page once decoded, raw without', async () => {
		// A hydrated page (its inline script carries the nonce); /, /projects and a project page have none.
		const path = '/territories?compression=1';
		const raw = await get(path);
		expect(raw.status).toBe(200);
		expect(raw.headers['content-encoding']).toBeUndefined();
		expect(String(raw.headers.vary)).toMatch(/accept-encoding/i);
		for (const accept of ['gzip', 'br', 'gzip, deflate, br, zstd']) {
			const r = await get(path, { 'accept-encoding': accept });
			expect(r.headers['x-cache']).toBe('HIT');
			expect(r.headers['content-encoding']).toBe(accept === 'br' ? 'br' : 'gzip');
			expect(r.bytes.length).toBeLessThan(raw.bytes.length / 2);
			expect(nonceOf(r)).not.toBe(nonceOf(raw));
			expect(r.text).toContain(`nonce="${nonceOf(r)}"`);
			expect(withoutNonce(r)).toBe(withoutNonce(raw));
		}
	});

	test('a rendered page (no-cache), a signed-in page and the API are compressed too', async () => {
		const fresh = await get('/projects', { 'accept-encoding': 'br, gzip', 'cache-control': 'no-cache' });
		expect(fresh.headers['content-encoding']).toBe('gzip');
		expect(fresh.text).toContain('</html>');
		const { cookie } = await signInByPost('contributor@parvis.test', 'parvis-demo-2026');
		const me = await get('/me', { 'accept-encoding': 'br, gzip', cookie });
		expect(me.status).toBe(200);
		expect(me.headers['content-encoding']).toBe('br');
		expect(String(me.headers.vary)).toMatch(/accept-encoding/i);
		expect(me.text).toContain('</html>');
		const api = await get('/api/v1/projects?per_page=20&compression=1', {
			'accept-encoding': 'gzip',
			'cache-control': 'no-cache'
		});
		expect(api.headers['content-encoding']).toBe('gzip');
		expect(JSON.parse(api.text).data.length).toBeGreaterThan(0);
	});

	test('a tiny answer and a refused encoding stay raw', async () => {
		const health = await get('/healthz', { 'accept-encoding': 'gzip, br' });
		expect(health.headers['content-encoding']).toBeUndefined();
		expect(JSON.parse(health.text).status).toBe('ok');
		const refused = await get('/legal', { 'accept-encoding': 'gzip;q=0, br;q=0' });
		expect(refused.headers['content-encoding']).toBeUndefined();
		expect(refused.text).toContain('</html>');
	});
});
