import { sql } from 'drizzle-orm';
import { themeSchema, type ThemeInput } from '$lib/shared/territories/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { themes } from '../schema';
import { authorize } from '../policy';
import { checkThemeSlugFree } from '../rules';

/** Creates a theme at the end of the list (administrators). */
export async function createTheme(actor: Actor | null, input: ThemeInput, ctx: RequestContext) {
	const admin = await authorize(actor, 'themes.manage');
	const data = parseInput(themeSchema, input);
	return db().transaction(async (tx) => {
		await checkThemeSlugFree(tx, data.slug);
		const [{ next }] = (
			await tx.execute<{ next: number }>(sql`SELECT coalesce(max(position), -1) + 1 AS next FROM themes`)
		).rows;
		const [t] = await tx
			.insert(themes)
			.values({ ...data, position: Number(next) })
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'themes.created',
			targetType: 'theme',
			targetId: t.id,
			ip: ctx.ip
		});
		return t;
	});
}
