// Retention: what the privacy page promises is what the nightly jobs and the queue settings do.
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from './db';
import { buildUser } from './factories/accounts';
import { db } from '$lib/server/db/client';
import { config } from '$lib/server/platform/config';
import { currentBoss, JOB_RETENTION_DAYS } from '$lib/server/platform/jobs';
import { MAIL_JOB } from '$lib/server/platform/mail-job';
import { purgePlatformData } from '$lib/server/platform/retention';
import { AUDIT_RETENTION_DAYS } from '$lib/server/platform/audit';
import { purgeEndedSessions } from '$lib/server/accounts';
import { eraseExpiredDonorDetails } from '$lib/server/receipts';

useTestDatabase();

const count = async (query: ReturnType<typeof sql>) =>
	Number((await db().execute<{ n: number }>(query)).rows[0].n);

describe('retention', () => {
	it('deletes rate-limit counters past their window, audit rows past a year and old outbox mails', async () => {
		await db().execute(sql`INSERT INTO rate_limits (key, window_start, count) VALUES
			('signin:email:old@example.org', now() - interval '25 hours', 3),
			('signin:email:new@example.org', now() - interval '10 minutes', 1)`);
		await db().execute(sql`INSERT INTO audit_log (action, created_at) VALUES
			('test.old', now() - make_interval(days => ${AUDIT_RETENTION_DAYS + 1})),
			('test.recent', now() - interval '300 days')`);
		const dir = config().outboxDir;
		await mkdir(dir, { recursive: true });
		await writeFile(join(dir, 'old.json'), '{}');
		await writeFile(join(dir, 'new.json'), '{}');
		const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600_000);
		await utimes(join(dir, 'old.json'), eightDaysAgo, eightDaysAgo);

		await purgePlatformData();

		const keys = await db().execute<{ key: string }>(sql`SELECT key FROM rate_limits ORDER BY key`);
		expect(keys.rows.map((r) => r.key)).toEqual(['signin:email:new@example.org']);
		const actions = await db().execute<{ action: string }>(
			sql`SELECT action FROM audit_log WHERE action LIKE 'test.%'`
		);
		expect(actions.rows.map((r) => r.action)).toEqual(['test.recent']);
		expect((await readdir(dir)).sort()).toEqual(['new.json']);
	});

	it('deletes ended sessions and keeps live ones', async () => {
		const { user } = await buildUser();
		await db().execute(sql`INSERT INTO sessions (id, user_id, expires_at, last_seen_at) VALUES
			('expired', ${user.id}, now() - interval '1 minute', now() - interval '1 hour'),
			('idle', ${user.id}, now() + interval '10 days', now() - interval '15 days'),
			('live', ${user.id}, now() + interval '10 days', now())`);
		expect(await purgeEndedSessions(db())).toBe(2);
		const left = await db().execute<{ id: string }>(sql`SELECT id FROM sessions WHERE user_id = ${user.id}`);
		expect(left.rows.map((r) => r.id)).toEqual(['live']);
	});

	it("erases a deleted donor's name and address from receipts six years after their year", async () => {
		const { user } = await buildUser();
		const { user: live } = await buildUser();
		await db().execute(sql`UPDATE users SET deleted_at = now() WHERE id = ${user.id}`);
		const [issuer] = (
			await db().execute<{
				id: string;
			}>(sql`INSERT INTO receipt_issuers (name, address, legal_status, country)
				VALUES ('Asso', '1 rue', 'loi 1901', 'FR') RETURNING id`)
		).rows;
		const year = new Date().getUTCFullYear();
		await db().execute(sql`INSERT INTO tax_receipts
			(issuer_id, number, kind, year, donor_id, donor_name, donor_address, amount_minor, currency, payment_date, payment_method)
			VALUES
			(${issuer.id}, 1, 'yearly', ${year - 7}, ${user.id}, 'Ancien Donateur', '2 rue', 1000, 'EUR', '2019-05-01', 'test'),
			(${issuer.id}, 2, 'yearly', ${year - 6}, ${user.id}, 'Ancien Donateur', '2 rue', 1000, 'EUR', '2020-05-01', 'test'),
			(${issuer.id}, 3, 'yearly', ${year - 7}, ${live.id}, 'Donatrice Active', '3 rue', 1000, 'EUR', '2019-05-01', 'test')`);
		expect(await eraseExpiredDonorDetails(db())).toBe(1);
		const rows = await db().execute<{ number: number; donor_name: string; donor_address: string }>(
			sql`SELECT number, donor_name, donor_address FROM tax_receipts ORDER BY number`
		);
		expect(rows.rows).toEqual([
			{ number: 1, donor_name: '', donor_address: '' },
			{ number: 2, donor_name: 'Ancien Donateur', donor_address: '2 rue' },
			{ number: 3, donor_name: 'Donatrice Active', donor_address: '3 rue' }
		]);
	});

	it('archives finished jobs after an hour and deletes them from the archive after a week', async () => {
		const boss = currentBoss()!;
		const queue = await boss.getQueue(MAIL_JOB);
		expect(queue?.retentionMinutes).toBe(JOB_RETENTION_DAYS * 24 * 60);
		const mail = { to: 'a@example.org', subject: 's', text: 't', html: '<p>t</p>' };
		const finished = (await boss.send(MAIL_JOB, mail))!;
		const fresh = (await boss.send(MAIL_JOB, mail))!;
		await db()
			.execute(sql`UPDATE pgboss.job SET state = 'completed', completed_on = now() - interval '2 hours'
			WHERE id = ${finished}::uuid`);
		await db()
			.execute(sql`UPDATE pgboss.job SET state = 'completed', completed_on = now() - interval '10 minutes'
			WHERE id = ${fresh}::uuid`);
		await boss.archive();
		expect(await count(sql`SELECT count(*)::int AS n FROM pgboss.archive WHERE id = ${finished}::uuid`)).toBe(
			1
		);
		expect(await count(sql`SELECT count(*)::int AS n FROM pgboss.job WHERE id = ${fresh}::uuid`)).toBe(1);

		await db()
			.execute(sql`UPDATE pgboss.archive SET archived_on = now() - make_interval(days => ${JOB_RETENTION_DAYS}, hours => 1)
			WHERE id = ${finished}::uuid`);
		await (boss as unknown as { drop(): Promise<void> }).drop();
		expect(await count(sql`SELECT count(*)::int AS n FROM pgboss.archive WHERE id = ${finished}::uuid`)).toBe(
			0
		);
		// A queued job that never runs is archived (then deleted) after the same number of days.
		const queued = (await boss.send(MAIL_JOB, mail))!;
		const keep = await db().execute<{ days: number }>(
			sql`SELECT round(extract(epoch FROM keep_until - created_on) / 86400)::int AS days FROM pgboss.job
				WHERE id = ${queued}::uuid`
		);
		expect(Number(keep.rows[0].days)).toBe(JOB_RETENTION_DAYS);
	});
});
