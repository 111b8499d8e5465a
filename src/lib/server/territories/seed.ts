import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { themes } from './schema';

/** The themes every instance starts with: CoCoTe's six plus five more. */
export const DEFAULT_THEMES = [
	{ slug: 'housing', nameFr: 'Habitat', nameEn: 'Housing' },
	{ slug: 'food', nameFr: 'Alimentation', nameEn: 'Food' },
	{ slug: 'repair-diy', nameFr: 'Réparation et bricolage', nameEn: 'Repair & DIY' },
	{ slug: 'mobility', nameFr: 'Mobilité', nameEn: 'Mobility' },
	{ slug: 'exchange', nameFr: 'Échange', nameEn: 'Exchange' },
	{ slug: 'work', nameFr: 'Travail', nameEn: 'Work' },
	{ slug: 'environment', nameFr: 'Environnement', nameEn: 'Environment' },
	{ slug: 'education', nameFr: 'Éducation', nameEn: 'Education' },
	{ slug: 'culture', nameFr: 'Culture', nameEn: 'Culture' },
	{ slug: 'solidarity', nameFr: 'Solidarité', nameEn: 'Solidarity' },
	{ slug: 'sport', nameFr: 'Sport', nameEn: 'Sport' }
];

/** Inserts the default themes when the instance has none (every instance, demo or not). */
export async function seedThemes(exec: Executor): Promise<void> {
	const [{ n }] = (await exec.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM themes`)).rows;
	if (Number(n) > 0) return;
	await exec.insert(themes).values(DEFAULT_THEMES.map((t, position) => ({ ...t, position })));
}
