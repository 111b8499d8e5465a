import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { territories } from '../territories/schema';
import { users, moderatorAssignments } from '../accounts/schema';
import { hashPassword } from '../accounts';
import { getSetting, setSetting } from '../platform/settings';
import { loadDemoProjects } from './projects';

/** The password of every demo account (printed at start-up; demo instances only). */
export const DEMO_PASSWORD = 'parvis-demo-2026';

export const DEMO_TERRITORIES = [
	{ slug: 'loire', kind: 'region', nameFr: 'Loire', nameEn: 'Loire', lat: 45.5, lng: 4.25, parent: null },
	{
		slug: 'saint-etienne',
		kind: 'city',
		nameFr: 'Saint-Étienne',
		nameEn: 'Saint-Étienne',
		lat: 45.4397,
		lng: 4.3872,
		parent: 'loire'
	},
	{
		slug: 'tarentaize-beaubrun',
		kind: 'neighbourhood',
		nameFr: 'Tarentaize-Beaubrun',
		nameEn: 'Tarentaize-Beaubrun',
		lat: 45.4425,
		lng: 4.3795,
		parent: 'saint-etienne'
	},
	{
		slug: 'pelussin',
		kind: 'city',
		nameFr: 'Pélussin',
		nameEn: 'Pélussin',
		lat: 45.4197,
		lng: 4.6828,
		parent: 'loire'
	},
	{
		slug: 'quebec',
		kind: 'region',
		nameFr: 'Québec',
		nameEn: 'Quebec',
		lat: 46.81,
		lng: -71.21,
		parent: null
	},
	{
		slug: 'montreal',
		kind: 'city',
		nameFr: 'Montréal',
		nameEn: 'Montreal',
		lat: 45.5019,
		lng: -73.5674,
		parent: 'quebec'
	},
	{
		slug: 'plateau-mont-royal',
		kind: 'neighbourhood',
		nameFr: 'Plateau-Mont-Royal',
		nameEn: 'Plateau-Mont-Royal',
		lat: 45.5225,
		lng: -73.5806,
		parent: 'montreal'
	},
	{
		slug: 'occitanie',
		kind: 'region',
		nameFr: 'Occitanie',
		nameEn: 'Occitania',
		lat: 43.6,
		lng: 1.44,
		parent: null
	},
	{
		slug: 'toulouse',
		kind: 'city',
		nameFr: 'Toulouse',
		nameEn: 'Toulouse',
		lat: 43.6047,
		lng: 1.4442,
		parent: 'occitanie'
	},
	{
		slug: 'saint-cyprien',
		kind: 'neighbourhood',
		nameFr: 'Saint-Cyprien',
		nameEn: 'Saint-Cyprien',
		lat: 43.5985,
		lng: 1.4312,
		parent: 'toulouse'
	}
] as const;

export const DEMO_ACCOUNTS = [
	{
		email: 'admin@parvis.test',
		displayName: 'Camille Administratrice',
		locale: 'fr',
		role: 'administrator',
		isAdmin: true,
		moderates: [] as string[],
		home: 'saint-etienne'
	},
	{
		email: 'moderation.loire@parvis.test',
		displayName: 'Malik Benali',
		locale: 'fr',
		role: 'moderator (Loire)',
		isAdmin: false,
		moderates: ['loire'],
		home: 'saint-etienne'
	},
	{
		email: 'moderation.quebec@parvis.test',
		displayName: 'Geneviève Tremblay',
		locale: 'fr',
		role: 'moderator (Québec)',
		isAdmin: false,
		moderates: ['quebec'],
		home: 'plateau-mont-royal'
	},
	{
		email: 'porteuse@parvis.test',
		displayName: 'Inès Moreau',
		locale: 'fr',
		role: 'project owner',
		isAdmin: false,
		moderates: [],
		home: 'pelussin'
	},
	{
		email: 'contributor@parvis.test',
		displayName: 'Sam Carter',
		locale: 'en',
		role: 'contributor',
		isAdmin: false,
		moderates: [],
		home: 'toulouse'
	}
] as const;

/**
 * Loads demo content into an empty embedded database (once: a marker setting records it).
 * Returns true when it loaded something.
 */
export async function loadDemoIfEmpty(exec: Executor, options: { log?: boolean } = {}): Promise<boolean> {
	if (await getSetting(exec, 'demo_loaded')) {
		if (options.log)
			console.log(`[parvis] Demo instance. Demo accounts use the password "${DEMO_PASSWORD}" (see README).`);
		return false;
	}
	const [{ n }] = (await exec.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`)).rows;
	if (Number(n) > 0) return false;
	const ids = new Map<string, string>();
	for (const [position, t] of DEMO_TERRITORIES.entries()) {
		const [row] = await exec
			.insert(territories)
			.values({
				slug: t.slug,
				kind: t.kind,
				nameFr: t.nameFr,
				nameEn: t.nameEn,
				lat: t.lat,
				lng: t.lng,
				parentId: t.parent ? ids.get(t.parent)! : null,
				position
			})
			.returning({ id: territories.id });
		ids.set(t.slug, row.id);
	}
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	for (const a of DEMO_ACCOUNTS) {
		const [u] = await exec
			.insert(users)
			.values({
				email: a.email,
				displayName: a.displayName,
				locale: a.locale,
				isAdmin: a.isAdmin,
				passwordHash,
				emailVerifiedAt: new Date(),
				homeTerritoryId: ids.get(a.home)
			})
			.returning({ id: users.id });
		for (const slug of a.moderates) {
			await exec.insert(moderatorAssignments).values({ userId: u.id, territoryId: ids.get(slug)! });
		}
	}
	await loadDemoProjects();
	await setSetting(exec, 'demo_loaded', new Date().toISOString());
	if (options.log) {
		console.log('\n[parvis] Demo content loaded. Sign in with any of these accounts:');
		for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(32)} ${a.role}`);
		console.log(
			`  password for all: ${DEMO_PASSWORD}\n  (set PARVIS_DEMO=0 before the first start for an empty instance)\n`
		);
	}
	return true;
}
