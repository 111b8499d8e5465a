import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser, ctx } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { db } from '../db/client';
import { auditLog } from '../platform/schema';
import { AppError } from '../platform/errors';
import { territorySchema, type TerritoryInput } from '$lib/shared/territories/schemas';
import type { Actor } from '../accounts';
import {
	createTerritory,
	updateTerritory,
	setTerritoryArchived,
	moveTerritory,
	createTheme,
	updateTheme,
	setThemeArchived,
	moveTheme,
	listTerritories,
	listThemes,
	getTerritory,
	getTheme
} from './index';

useTestDatabase();

async function expectCode(p: Promise<unknown>, code: string, field?: string, key?: string) {
	const e = await p.then(
		() => null,
		(err) => err
	);
	expect(e, 'expected an AppError').toBeInstanceOf(AppError);
	expect((e as AppError).code).toBe(code);
	if (field) expect((e as AppError).fields[field]).toBe(key);
}

/** Audit rows about one target, oldest first. */
async function auditFor(targetId: string, action?: string) {
	const rows = await db()
		.select()
		.from(auditLog)
		.where(
			action
				? and(eq(auditLog.targetId, targetId), eq(auditLog.action, action))
				: eq(auditLog.targetId, targetId)
		)
		.orderBy(auditLog.id);
	return rows;
}

let n = 0;
/** A valid territory input with a unique slug. */
function territoryInput(overrides: Partial<TerritoryInput> = {}): TerritoryInput {
	n += 1;
	return {
		slug: `lieu-${n}-${randomUUID().slice(0, 6)}`,
		nameFr: `Lieu ${n}`,
		nameEn: `Place ${n}`,
		kind: 'city',
		parentId: null,
		lat: null,
		lng: null,
		...overrides
	};
}

async function admin(): Promise<Actor> {
	return (await buildUser({ isAdmin: true })).actor;
}

describe('territories', () => {
	it('creates a territory at the end of its siblings and audits it', async () => {
		const a = await admin();
		const region = await createTerritory(
			a,
			territoryInput({ kind: 'region', nameFr: 'Auvergne-Rhône-Alpes', nameEn: 'Auvergne-Rhône-Alpes' }),
			ctx
		);
		const lyon = await createTerritory(
			a,
			territoryInput({ parentId: region.id, nameFr: 'Lyon', lat: 45.764, lng: 4.8357 }),
			ctx
		);
		const grenoble = await createTerritory(a, territoryInput({ parentId: region.id }), ctx);
		expect(lyon.parentId).toBe(region.id);
		expect(lyon.lat).toBeCloseTo(45.764);
		expect(lyon.lng).toBeCloseTo(4.8357);
		expect([lyon.position, grenoble.position]).toEqual([0, 1]);

		const stored = await getTerritory(db(), lyon.id);
		expect(stored?.nameFr).toBe('Lyon');
		const tree = await listTerritories();
		const node = tree.find((t) => t.id === lyon.id);
		expect(node?.depth).toBe(1);
		expect(tree.findIndex((t) => t.id === region.id)).toBeLessThan(tree.findIndex((t) => t.id === lyon.id));

		const rows = await auditFor(lyon.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			actorId: a.id,
			action: 'territories.created',
			targetType: 'territory',
			ip: ctx.ip
		});
	});

	it('refuses a taken slug, an unknown parent, and a point with only one coordinate', async () => {
		const a = await admin();
		const existing = await buildTerritory({ slug: 'villeurbanne' });
		await expectCode(
			createTerritory(a, territoryInput({ slug: 'villeurbanne' }), ctx),
			'validation',
			'slug',
			'territories_error_slug_taken'
		);
		await expectCode(
			createTerritory(a, territoryInput({ parentId: randomUUID() }), ctx),
			'validation',
			'parentId',
			'form_error_invalid'
		);

		// The form schema points the error at the longitude field…
		const parsed = territorySchema.safeParse({ ...territoryInput(), lat: '45.7', lng: '' });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0]).toMatchObject({ path: ['lng'], message: 'territories_error_point' });
		// …and the command refuses it too, writing nothing.
		const input = territoryInput({ lat: 45.7, lng: null });
		await expectCode(createTerritory(a, input, ctx), 'validation', 'lng', 'territories_error_point');
		expect((await listTerritories({ includeArchived: true })).some((t) => t.slug === input.slug)).toBe(false);

		// A bad slug format and out-of-range coordinates are refused by the schema.
		const bad = territorySchema.safeParse({
			...territoryInput(),
			slug: 'Saint Étienne',
			lat: '95',
			lng: '4'
		});
		expect(bad.success).toBe(false);
		const issues = Object.fromEntries(bad.error!.issues.map((i) => [String(i.path[0]), i.message]));
		expect(issues.slug).toBe('territories_error_slug');
		expect(issues.lat).toBe('form_error_invalid');
		// A comma is accepted as the decimal separator (French keyboards).
		const comma = territorySchema.parse({ ...territoryInput(), lat: '45,75', lng: '4,85' });
		expect([comma.lat, comma.lng]).toEqual([45.75, 4.85]);

		expect((await auditFor(existing.id)).length).toBe(0);
	});

	it('updates a territory, keeps its own slug, and audits the previous values', async () => {
		const a = await admin();
		const t = await createTerritory(a, territoryInput({ slug: 'croix-rousse', kind: 'neighbourhood' }), ctx);
		const parent = await buildTerritory();
		await updateTerritory(
			a,
			t.id,
			territoryInput({
				slug: 'croix-rousse',
				nameFr: 'La Croix-Rousse',
				nameEn: 'Croix-Rousse',
				kind: 'neighbourhood',
				parentId: parent.id,
				lat: 45.774,
				lng: 4.832
			}),
			ctx
		);
		const stored = await getTerritory(db(), t.id);
		expect(stored).toMatchObject({
			slug: 'croix-rousse',
			nameFr: 'La Croix-Rousse',
			nameEn: 'Croix-Rousse',
			parentId: parent.id
		});
		const [row] = await auditFor(t.id, 'territories.updated');
		expect(row.actorId).toBe(a.id);
		expect(row.data).toEqual({ before: { slug: 'croix-rousse', parentId: null } });
	});

	it('refuses on update a slug taken by another territory, a cycle, and an unknown id', async () => {
		const a = await admin();
		await buildTerritory({ slug: 'taken-slug' });
		const region = await buildTerritory({ kind: 'region' });
		const city = await buildTerritory({ parentId: region.id });
		const district = await buildTerritory({ kind: 'neighbourhood', parentId: city.id });
		const asInput = (t: typeof region, overrides: Partial<TerritoryInput> = {}): TerritoryInput => ({
			slug: t.slug,
			nameFr: t.nameFr,
			nameEn: t.nameEn,
			kind: t.kind,
			parentId: t.parentId,
			lat: null,
			lng: null,
			...overrides
		});
		await expectCode(
			updateTerritory(a, city.id, asInput(city, { slug: 'taken-slug' }), ctx),
			'validation',
			'slug',
			'territories_error_slug_taken'
		);
		// Its own descendant, and itself, cannot become its parent.
		await expectCode(
			updateTerritory(a, region.id, asInput(region, { parentId: district.id }), ctx),
			'validation',
			'parentId',
			'territories_error_cycle'
		);
		await expectCode(
			updateTerritory(a, city.id, asInput(city, { parentId: city.id }), ctx),
			'validation',
			'parentId',
			'territories_error_cycle'
		);
		await expectCode(updateTerritory(a, randomUUID(), asInput(city, { slug: 'nowhere' }), ctx), 'not_found');
		expect((await getTerritory(db(), region.id))?.parentId).toBeNull();
		expect((await getTerritory(db(), city.id))?.slug).toBe(city.slug);
		expect(await auditFor(region.id, 'territories.updated')).toHaveLength(0);
	});

	it('archives and restores a territory, hiding it from the public list only', async () => {
		const a = await admin();
		const t = await buildTerritory();
		await setTerritoryArchived(a, t.id, true, ctx);
		expect((await getTerritory(db(), t.id))?.archivedAt).toBeInstanceOf(Date);
		expect((await listTerritories()).some((x) => x.id === t.id)).toBe(false);
		expect((await listTerritories({ includeArchived: true })).some((x) => x.id === t.id)).toBe(true);

		await setTerritoryArchived(a, t.id, false, ctx);
		expect((await getTerritory(db(), t.id))?.archivedAt).toBeNull();
		expect((await listTerritories()).some((x) => x.id === t.id)).toBe(true);
		expect((await auditFor(t.id)).map((r) => r.action)).toEqual([
			'territories.archived',
			'territories.restored'
		]);

		await expectCode(setTerritoryArchived(a, randomUUID(), true, ctx), 'not_found');
	});

	it('moves a territory among its siblings, doing nothing at either end', async () => {
		const a = await admin();
		const parent = await buildTerritory({ kind: 'region' });
		const [x, y, z] = [
			await createTerritory(a, territoryInput({ parentId: parent.id }), ctx),
			await createTerritory(a, territoryInput({ parentId: parent.id }), ctx),
			await createTerritory(a, territoryInput({ parentId: parent.id }), ctx)
		];
		const order = async () =>
			(await listTerritories()).filter((t) => t.parentId === parent.id).map((t) => t.id);
		expect(await order()).toEqual([x.id, y.id, z.id]);

		await moveTerritory(a, z.id, 'up', ctx);
		expect(await order()).toEqual([x.id, z.id, y.id]);
		await moveTerritory(a, x.id, 'down', ctx);
		expect(await order()).toEqual([z.id, x.id, y.id]);

		await moveTerritory(a, z.id, 'up', ctx);
		await moveTerritory(a, y.id, 'down', ctx);
		expect(await order()).toEqual([z.id, x.id, y.id]);
		const moves = await auditFor(z.id, 'territories.moved');
		expect(moves).toHaveLength(1);
		expect(moves[0].data).toEqual({ direction: 'up' });
		expect(await auditFor(y.id, 'territories.moved')).toHaveLength(0);

		await expectCode(moveTerritory(a, randomUUID(), 'up', ctx), 'not_found');
	});
});

describe('themes', () => {
	it('creates a theme after the seeded ones and audits it', async () => {
		const a = await admin();
		const before = await listThemes();
		expect(before.length).toBeGreaterThan(0);
		const theme = await createTheme(a, { slug: 'patrimoine', nameFr: 'Patrimoine', nameEn: 'Heritage' }, ctx);
		expect(theme.position).toBe(Math.max(...before.map((t) => t.position)) + 1);
		const after = await listThemes();
		expect(after.at(-1)?.id).toBe(theme.id);
		const rows = await auditFor(theme.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ actorId: a.id, action: 'themes.created', targetType: 'theme' });
	});

	it('refuses a taken slug on create and update, and an unknown id', async () => {
		const a = await admin();
		const [first] = await listThemes();
		await expectCode(
			createTheme(a, { slug: first.slug, nameFr: 'Doublon', nameEn: 'Duplicate' }, ctx),
			'validation',
			'slug',
			'territories_error_slug_taken'
		);
		const theme = await createTheme(a, { slug: 'jeux', nameFr: 'Jeux', nameEn: 'Games' }, ctx);
		await expectCode(
			updateTheme(a, theme.id, { slug: first.slug, nameFr: 'Jeux', nameEn: 'Games' }, ctx),
			'validation',
			'slug',
			'territories_error_slug_taken'
		);
		await expectCode(
			updateTheme(a, randomUUID(), { slug: 'ailleurs', nameFr: 'Ailleurs', nameEn: 'Elsewhere' }, ctx),
			'not_found'
		);
		await expectCode(
			createTheme(a, { slug: 'Pas Bon', nameFr: '', nameEn: 'x' }, ctx),
			'validation',
			'slug',
			'territories_error_slug'
		);
		expect((await getTheme(theme.id))?.slug).toBe('jeux');
	});

	it('updates a theme, keeping its own slug, and audits it', async () => {
		const a = await admin();
		const theme = await createTheme(a, { slug: 'numerique', nameFr: 'Numérique', nameEn: 'Digital' }, ctx);
		await updateTheme(
			a,
			theme.id,
			{ slug: 'numerique', nameFr: 'Numérique et libre', nameEn: 'Digital commons' },
			ctx
		);
		expect(await getTheme(theme.id)).toMatchObject({
			nameFr: 'Numérique et libre',
			nameEn: 'Digital commons'
		});
		expect(await auditFor(theme.id, 'themes.updated')).toHaveLength(1);
	});

	it('archives, restores and moves themes', async () => {
		const a = await admin();
		const theme = await createTheme(a, { slug: 'mobilite', nameFr: 'Mobilité', nameEn: 'Mobility' }, ctx);
		await setThemeArchived(a, theme.id, true, ctx);
		expect((await listThemes()).some((t) => t.id === theme.id)).toBe(false);
		expect((await listThemes({ includeArchived: true })).some((t) => t.id === theme.id)).toBe(true);
		await setThemeArchived(a, theme.id, false, ctx);
		expect((await getTheme(theme.id))?.archivedAt).toBeNull();
		await expectCode(setThemeArchived(a, randomUUID(), true, ctx), 'not_found');

		const ids = async () => (await listThemes({ includeArchived: true })).map((t) => t.id);
		const before = await ids();
		const last = before.length - 1;
		expect(before[last]).toBe(theme.id);
		await moveTheme(a, theme.id, 'up', ctx);
		const after = await ids();
		expect(after[last - 1]).toBe(theme.id);
		expect(after[last]).toBe(before[last - 1]);
		// Already first: nothing moves and nothing is audited.
		await moveTheme(a, after[0], 'up', ctx);
		expect(await ids()).toEqual(after);
		expect(await auditFor(after[0], 'themes.moved')).toHaveLength(0);
		await expectCode(moveTheme(a, randomUUID(), 'down', ctx), 'not_found');

		expect((await auditFor(theme.id)).map((r) => r.action)).toEqual([
			'themes.created',
			'themes.archived',
			'themes.restored',
			'themes.moved'
		]);
	});
});

describe('only administrators manage territories and themes', () => {
	it('refuses anonymous people and non-administrators (moderators included), changing nothing', async () => {
		const t = await buildTerritory({ slug: 'protected-place' });
		const [theme] = await listThemes();
		const { actor: person } = await buildUser();
		const { actor: moderator } = await buildUser({ moderates: [t.id] });
		const tInput = territoryInput({ slug: 'protected-place', nameFr: 'Changé' });
		const thInput = { slug: theme.slug, nameFr: 'Changé', nameEn: 'Changed' };
		const attempts = (actor: Actor | null) => [
			createTerritory(actor, territoryInput(), ctx),
			updateTerritory(actor, t.id, tInput, ctx),
			setTerritoryArchived(actor, t.id, true, ctx),
			moveTerritory(actor, t.id, 'up', ctx),
			createTheme(actor, { slug: 'intrus', nameFr: 'Intrus', nameEn: 'Intruder' }, ctx),
			updateTheme(actor, theme.id, thInput, ctx),
			setThemeArchived(actor, theme.id, true, ctx),
			moveTheme(actor, theme.id, 'down', ctx)
		];
		for (const p of attempts(null)) await expectCode(p, 'unauthenticated');
		for (const p of attempts(person)) await expectCode(p, 'forbidden');
		for (const p of attempts(moderator)) await expectCode(p, 'forbidden');

		expect(await getTerritory(db(), t.id)).toMatchObject({ nameFr: 'protected-place', archivedAt: null });
		expect(await getTheme(theme.id)).toMatchObject({ nameFr: theme.nameFr, archivedAt: null });
		expect((await listThemes()).some((x) => x.slug === 'intrus')).toBe(false);
		expect(await auditFor(t.id)).toHaveLength(0);
		expect(await auditFor(theme.id)).toHaveLength(0);
	});
});
