import { and, countDistinct, eq, isNull } from 'drizzle-orm';
import { db } from '$lib/server/db/client';
import { listUsers, requireAdmin, type Actor } from '$lib/server/accounts';
import { moderatorAssignments, users } from '$lib/server/accounts/schema';
import { listTerritories, listThemes } from '$lib/server/territories';
import { adminOnly } from '../guard';
import type { PageServerLoad } from './$types';

// TODO: move to the accounts domain as `countModerators` (its queries.ts belongs to another change);
// kept here, read-only and admin-checked, so the dashboard can show the figure meanwhile.
async function countModerators(actor: Actor): Promise<number> {
	requireAdmin(actor);
	const [{ n }] = await db()
		.select({ n: countDistinct(moderatorAssignments.userId) })
		.from(moderatorAssignments)
		.innerJoin(users, and(eq(users.id, moderatorAssignments.userId), isNull(users.deletedAt)));
	return Number(n);
}

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	const [people, territories, themes, moderators] = await Promise.all([
		listUsers(actor, { page: 1 }),
		listTerritories(),
		listThemes(),
		countModerators(actor)
	]);
	return {
		counts: {
			people: Number(people.total),
			territories: territories.length,
			themes: themes.length,
			moderators
		}
	};
};
