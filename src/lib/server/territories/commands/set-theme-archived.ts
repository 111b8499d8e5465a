import { eq } from 'drizzle-orm';
import { archiveRowSchema } from '$lib/shared/platform/ordered-list';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor, RequestContext } from '../../accounts';
import { themes } from '../schema';
import { authorize } from '../policy';

/** Archives or restores a theme (administrators). */
export async function setThemeArchived(
	actor: Actor | null,
	id: string,
	archived: boolean,
	ctx: RequestContext
) {
	const admin = await authorize(actor, 'themes.manage');
	const data = parseInput(archiveRowSchema, { id, archived });
	await db().transaction(async (tx) => {
		const [t] = await tx
			.update(themes)
			.set({ archivedAt: data.archived ? new Date() : null })
			.where(eq(themes.id, data.id))
			.returning({ id: themes.id });
		if (!t) throw new AppError('not_found', 'error_not_found');
		await audit(tx, {
			actorId: admin.id,
			action: data.archived ? 'themes.archived' : 'themes.restored',
			targetType: 'theme',
			targetId: data.id,
			ip: ctx.ip
		});
	});
}
