import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../../tests/db';
import { openDatabase, setDatabase, type Database, type Db } from '$lib/server/db/client';
import { GET } from './+server';

const test = useTestDatabase({ jobs: false });

async function check(): Promise<{ status: number; body: unknown; cache: string | null }> {
	const res = await GET({} as Parameters<typeof GET>[0]);
	return { status: res.status, body: await res.json(), cache: res.headers.get('cache-control') };
}

/** A database whose every query fails or never answers, as when the server is down or stuck. */
function brokenDatabase(execute: () => Promise<never>): Database {
	return { ...test.current(), db: { execute } as unknown as Db };
}

afterEach(() => {
	vi.useRealTimers();
	setDatabase(test.current());
});

describe('GET /healthz', () => {
	it('answers 200 when the database answers', async () => {
		expect(await check()).toEqual({
			status: 200,
			body: { status: 'ok', database: 'ok' },
			cache: 'no-store'
		});
	});

	it('answers 503 when queries fail', async () => {
		setDatabase(brokenDatabase(() => Promise.reject(new Error('connection refused'))));
		expect(await check()).toEqual({
			status: 503,
			body: { status: 'error', database: 'unavailable' },
			cache: 'no-store'
		});
	});

	it('answers 503 when the database has been closed', async () => {
		const url = test.current().pool?.options.connectionString;
		const closed = await openDatabase(url ? { url } : { dataDir: 'memory://' });
		expect(closed.kind).toBe(test.current().kind);
		await closed.close();
		setDatabase(closed);
		expect((await check()).status).toBe(503);
	});

	it('answers 503 when no database is open', async () => {
		setDatabase(undefined);
		expect((await check()).status).toBe(503);
	});

	it('answers 503 after 3 s when the database hangs', async () => {
		vi.useFakeTimers();
		setDatabase(brokenDatabase(() => new Promise<never>(() => {})));
		const pending = Promise.resolve(GET({} as Parameters<typeof GET>[0]));
		await vi.advanceTimersByTimeAsync(2999);
		let settled = false;
		void pending.then(() => (settled = true));
		await vi.advanceTimersByTimeAsync(0);
		expect(settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		const res = await pending;
		expect(res.status).toBe(503);
	});

	it('answers 200 again once the database is back', async () => {
		expect((await check()).status).toBe(200);
	});
});
