import { expect, test } from 'vitest';
import { BASE_URL } from '../fixtures';

test('/healthz answers that the app and its database are up', async () => {
	const response = await fetch(`${BASE_URL}/healthz`);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	expect(response.headers.get('cache-control')).toBe('no-store');
	expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
});
