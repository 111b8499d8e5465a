import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { AppError } from './errors';
import { emailPattern } from './mailer';

export interface Limit {
	/** What is limited, e.g. `signin:email:ana@example.org`. */
	key: string;
	/** Allowed attempts per window. */
	max: number;
	/** Window length in seconds. */
	windowSeconds: number;
}

/**
 * Counts one attempt against each limit and throws `rate_limited` when one is exceeded.
 * The counter lives in PostgreSQL and is bumped with one atomic upsert, so the limit holds
 * across every app instance and under concurrent requests.
 */
export async function hit(exec: Executor, limits: Limit[]): Promise<void> {
	for (const limit of limits) {
		// The nightly purge assumes no window is longer than this (the privacy page promises it).
		if (limit.windowSeconds > RATE_LIMIT_MAX_WINDOW_SECONDS) throw new Error(`window too long: ${limit.key}`);
		const result = await exec.execute<{ count: number }>(sql`
			INSERT INTO rate_limits (key, window_start, count)
			VALUES (${limit.key}, now(), 1)
			ON CONFLICT (key) DO UPDATE SET
				count = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${limit.windowSeconds})
					THEN 1 ELSE rate_limits.count + 1 END,
				window_start = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${limit.windowSeconds})
					THEN now() ELSE rate_limits.window_start END
			RETURNING count`);
		const count = Number(result.rows[0]?.count ?? 0);
		if (count > limit.max) throw new AppError('rate_limited', 'error_rate_limited');
	}
}

export interface Throttle {
	/** What is throttled, e.g. `signin:pair:ana@example.org|192.0.2.1`. */
	key: string;
	/** Attempts that pass without waiting. */
	free: number;
	/** The wait after the free attempts, doubled at each further attempt… */
	baseSeconds: number;
	/** …up to this; never a lock-out. */
	maxSeconds: number;
	/** Quiet time after which the counter starts again from zero (at least maxSeconds). */
	forgetSeconds: number;
}

/**
 * Counts one attempt against a growing delay: the first `free` attempts pass, then each one must come at
 * least base·2^(n−free) seconds (capped at maxSeconds) after the previous one, or it throws `rate_limited`
 * without being counted. One conditional upsert (the row is locked while it is checked), so parallel
 * attempts cannot slip through together.
 */
export async function throttle(exec: Executor, t: Throttle): Promise<void> {
	const result = await exec.execute<{ count: number }>(sql`
		INSERT INTO rate_limits (key, window_start, count)
		VALUES (${t.key}, now(), 1)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${t.forgetSeconds}::float8)
				THEN 1 ELSE rate_limits.count + 1 END,
			window_start = now()
		WHERE rate_limits.count < ${t.free}::int
			OR rate_limits.window_start <= now() - make_interval(secs => least(${t.maxSeconds}::float8,
				${t.baseSeconds}::float8 * power(2, rate_limits.count - ${t.free}::int)))
		RETURNING count`);
	if (result.rows.length === 0) throw new AppError('rate_limited', 'accounts_error_slow_down');
}

/** Forgets the counters (after a successful sign-in, for instance). */
export async function reset(exec: Executor, keys: string[]): Promise<void> {
	for (const key of keys) await exec.execute(sql`DELETE FROM rate_limits WHERE key = ${key}`);
}

/** The longest window any limit uses (thank-you mails: one day); older counters are dead weight. */
export const RATE_LIMIT_MAX_WINDOW_SECONDS = 24 * 3600;

/** Deletes counters whose window has ended (run nightly, so no key outlives its window by more than a day). */
export async function purgeStaleRateLimits(exec: Executor): Promise<number> {
	const r = await exec.execute(sql`
		DELETE FROM rate_limits
		WHERE window_start < now() - make_interval(secs => ${RATE_LIMIT_MAX_WINDOW_SECONDS}) RETURNING key`);
	return r.rows.length;
}

/**
 * Deletes the counters whose key holds a person's e-mail address, matched whole (`signin:pair:<address>|<ip>`,
 * `reset:<address>`…), at account deletion.
 */
export async function forgetRateLimitsFor(exec: Executor, email: string): Promise<void> {
	await exec.execute(sql`DELETE FROM rate_limits WHERE lower(key) ~ ${emailPattern(email)}`);
}
