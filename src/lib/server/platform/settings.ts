import { eq } from 'drizzle-orm';
import { settings } from './schema';
import type { Executor } from '../db/client';

/** Reads one instance setting. */
export async function getSetting<T>(exec: Executor, key: string): Promise<T | undefined> {
	const [row] = await exec.select().from(settings).where(eq(settings.key, key));
	return row?.value as T | undefined;
}

/** Writes one instance setting. */
export async function setSetting(exec: Executor, key: string, value: unknown): Promise<void> {
	await exec
		.insert(settings)
		.values({ key, value })
		.onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}

/** Deletes one instance setting. */
export async function deleteSetting(exec: Executor, key: string): Promise<void> {
	await exec.delete(settings).where(eq(settings.key, key));
}
