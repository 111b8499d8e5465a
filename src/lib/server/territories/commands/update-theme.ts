import { eq } from 'drizzle-orm';
import { themeSchema, type ThemeInput } from '$lib/shared/territories/schemas';
import { rowIdSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { themes } from '../schema';
import { authorize } from '../policy';
import { checkThemeSlugFree } from '../rules';

/** Edits a theme (administrators). */
export async function updateTheme(actor: Actor | null, id: string, input: ThemeInput, ctx: RequestContext) {
	const admin = await authorize(actor, 'themes.manage');
	parseInput(rowIdSchema, { id });
	const data = parseInput(themeSchema, input);
	await db().transaction(async (tx) => {
		const [existing] = await tx.select().from(themes).where(eq(themes.id, id));
		if (!existing) throw new AppError('not_found', 'error_not_found');
		await checkThemeSlugFree(tx, data.slug, id);
		await tx.update(themes).set(data).where(eq(themes.id, id));
		await audit(tx, {
			actorId: admin.id,
			action: 'themes.updated',
			targetType: 'theme',
			targetId: id,
			ip: ctx.ip
		});
	});
}
