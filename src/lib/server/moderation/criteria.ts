import { asc, eq, isNull, sql } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import type { Actor } from '../accounts';
import { criteria } from './schema';
import { authorize } from './policy';

/** A review criterion as stored. */
export type Criterion = typeof criteria.$inferSelect;

/** The espacecollectif.org criteria every instance starts with (administrators can change them). */
export const DEFAULT_CRITERIA = [
	{
		slug: 'time-limited',
		labelFr: 'Le projet est limité dans le temps',
		labelEn: 'The project is limited in time',
		helpFr: 'Il a une date de début et une date de fin.',
		helpEn: 'It has a start date and an end date.'
	},
	{
		slug: 'more-than-money',
		labelFr: 'Le projet a besoin de plus que de l’argent',
		labelEn: 'The project needs more than money',
		helpFr: 'Au moins un besoin de bénévoles, de matériel ou d’expertise.',
		helpEn: 'At least one need for volunteers, material or expertise.'
	},
	{
		slug: 'no-operating-costs',
		labelFr: 'Le projet ne finance pas des frais de fonctionnement',
		labelEn: 'The project does not fund operating costs',
		helpFr: 'Pas de salaires permanents, de loyers ou de dépenses courantes de l’organisme.',
		helpEn: 'No permanent salaries, rent or the organization’s running costs.'
	},
	{
		slug: 'locally-relevant',
		labelFr: 'Le projet est d’intérêt local',
		labelEn: 'The project is locally relevant',
		helpFr: 'Il profite aux habitants du territoire.',
		helpEn: 'It benefits the people of the territory.'
	},
	{
		slug: 'legal-form-declared',
		labelFr: 'La forme juridique du porteur est déclarée',
		labelEn: 'The carrier’s legal form is declared',
		helpFr: 'Association, entreprise collective, groupe informel, entreprise ou organisme public.',
		helpEn: 'Non-profit association, collective enterprise, informal group, company or public body.'
	}
];

/** Inserts the default criteria when there are none. */
export async function seedCriteria(exec: Executor): Promise<void> {
	const [{ n }] = (await exec.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM criteria`)).rows;
	if (Number(n) > 0) return;
	await exec.insert(criteria).values(DEFAULT_CRITERIA.map((c, position) => ({ ...c, position })));
}

/** The active criteria, in order. */
export async function listCriteria(exec: Executor = db()) {
	return exec.select().from(criteria).where(isNull(criteria.archivedAt)).orderBy(asc(criteria.position));
}

/** Every criterion, archived ones included, in order (administrators). */
export async function listAllCriteria(actor: Actor | null): Promise<Criterion[]> {
	await authorize(actor, 'criteria.manage');
	return db().select().from(criteria).orderBy(asc(criteria.position), asc(criteria.slug));
}

/** One criterion (administrators); `undefined` when unknown. */
export async function getCriterion(actor: Actor | null, id: string): Promise<Criterion | undefined> {
	await authorize(actor, 'criteria.manage');
	const [c] = await db().select().from(criteria).where(eq(criteria.id, id));
	return c;
}
