import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { AppError } from '../platform/errors';
import { users } from './schema';

/** A live (not deleted) account inside a command, or `not_found`. */
export async function liveUser(exec: Executor, userId: string) {
	const [u] = await exec
		.select()
		.from(users)
		.where(and(eq(users.id, userId), isNull(users.deletedAt)));
	if (!u) throw new AppError('not_found', 'error_not_found');
	return u;
}
