import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { AppError } from './errors';

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

/** Forgets the counters (after a successful sign-in, for instance). */
export async function reset(exec: Executor, keys: string[]): Promise<void> {
	for (const key of keys) await exec.execute(sql`DELETE FROM rate_limits WHERE key = ${key}`);
}
