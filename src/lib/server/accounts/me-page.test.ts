// /me: the profile with its interests, and the two lists of its selects sent without the whole rows.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { getMyProfile, updateProfile } from './index';
import { load } from '../../../routes/(app)/me/+page.server';

useTestDatabase();

describe('/me', () => {
	it('loads the profile with interests and home territory, and slim lists for the selects', async () => {
		const { actor } = await buildUser({ displayName: 'Iris Profil' });
		const city = await buildTerritory({ nameFr: 'Villeneuve', nameEn: 'Newtown' });
		await buildTerritory({ kind: 'neighbourhood', parentId: city.id, nameFr: 'Centre', nameEn: 'Centre' });
		const themes = await db().execute<{ id: string }>(sql`SELECT id FROM themes ORDER BY position LIMIT 2`);
		await updateProfile(actor, {
			displayName: 'Iris Profil',
			bio: 'Jardinière',
			skills: ['jardinage'],
			interests: themes.rows.map((r) => r.id),
			homeTerritoryId: city.id,
			locale: 'fr'
		});

		const profile = await getMyProfile(actor);
		expect(profile).toMatchObject({
			displayName: 'Iris Profil',
			bio: 'Jardinière',
			homeTerritoryId: city.id
		});
		expect([...profile.interests].sort()).toEqual(themes.rows.map((r) => r.id).sort());

		const data = (await load({ locals: { actor } } as never)) as unknown as {
			profile: { id: string };
			territories: { id: string; depth: number; nameFr: string; nameEn: string }[];
			themes: { id: string; nameFr: string; nameEn: string }[];
		};
		expect(data.profile.id).toBe(actor.id);
		const villeneuve = data.territories.find((t) => t.id === city.id)!;
		expect(villeneuve).toEqual({ id: city.id, depth: 0, nameFr: 'Villeneuve', nameEn: 'Newtown' });
		expect(data.territories.find((t) => t.nameFr === 'Centre' && t.depth === 1)).toBeTruthy();
		expect(data.themes.length).toBeGreaterThanOrEqual(2);
		for (const t of data.themes) expect(Object.keys(t).sort()).toEqual(['id', 'nameEn', 'nameFr']);
	});

	it('refuses a visitor who is not signed in', async () => {
		const e = await getMyProfile(null).then(
			() => null,
			(err) => err
		);
		expect(e).toBeInstanceOf(AppError);
		expect((e as AppError).code).toBe('unauthenticated');
	});
});
