import { eq } from 'drizzle-orm';
import { profileSchema, type ProfileInput } from '$lib/shared/accounts/schemas';
import { db } from '../../db/client';
import { fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { users, userInterests } from '../schema';
import { territories, themes } from '../../territories/schema';
import { requireActor } from '../policy';
import type { Actor } from '../actor';
import { inArray, and, isNull } from 'drizzle-orm';

/** Updates the signed-in person's profile: name, bio, skills, interests, home territory, language. */
export async function updateProfile(actor: Actor | null, input: ProfileInput): Promise<void> {
	const me = requireActor(actor);
	const data = parseInput(profileSchema, input);
	await db().transaction(async (tx) => {
		if (data.homeTerritoryId) {
			const [t] = await tx
				.select({ id: territories.id })
				.from(territories)
				.where(and(eq(territories.id, data.homeTerritoryId), isNull(territories.archivedAt)));
			if (!t) throw fieldError('homeTerritoryId', 'form_error_invalid');
		}
		if (data.interests.length) {
			const found = await tx.select({ id: themes.id }).from(themes).where(inArray(themes.id, data.interests));
			if (found.length !== new Set(data.interests).size) throw fieldError('interests', 'form_error_invalid');
		}
		await tx
			.update(users)
			.set({
				displayName: data.displayName,
				bio: data.bio,
				skills: data.skills,
				homeTerritoryId: data.homeTerritoryId,
				locale: data.locale
			})
			.where(eq(users.id, me.id));
		await tx.delete(userInterests).where(eq(userInterests.userId, me.id));
		if (data.interests.length) {
			await tx
				.insert(userInterests)
				.values([...new Set(data.interests)].map((themeId) => ({ userId: me.id, themeId })));
		}
	});
}
