// getReviewPage: who may open a project's review page (the authorization the route used to do itself).
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, allYes, publishProject } from '../../../../tests/factories/projects';
import { AppError } from '../platform/errors';
import type { Actor } from '../accounts';
import { getReviewPage, submitProject } from './index';

useTestDatabase();

const code = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => (e instanceof AppError ? e.code : Promise.reject(e))
	);

let owner: Actor;
let cityModerator: Actor;
let regionModerator: Actor;
let otherModerator: Actor;
let admin: Actor;
let submitted: { slug: string; id: string };
let published: { slug: string; id: string };

beforeAll(async () => {
	const region = await buildTerritory({ kind: 'region' });
	const city = await buildTerritory({ parentId: region.id });
	const other = await buildTerritory({ kind: 'region' });
	owner = (await buildUser()).actor;
	cityModerator = (await buildUser({ moderates: [city.id] })).actor;
	regionModerator = (await buildUser({ moderates: [region.id] })).actor;
	otherModerator = (await buildUser({ moderates: [other.id] })).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
	submitted = await buildProject(owner, city.id, { title: 'Soumis' });
	await submitProject(owner, submitted.id, { answers: await allYes() });
	published = await buildProject(owner, city.id, { title: 'Publié' });
	await publishProject(owner, cityModerator, published.id);
});

describe('getReviewPage', () => {
	it("opens for a moderator of the project's territory or an ancestor, and for an administrator", async () => {
		for (const actor of [cityModerator, regionModerator, admin]) {
			const page = await getReviewPage(actor, submitted.slug);
			expect(page.project.id).toBe(submitted.id);
			expect(page.material.criteria.length).toBeGreaterThan(0);
			expect(page.history.length).toBeGreaterThan(0);
		}
	});

	it('is forbidden to a moderator of another territory, even for a public project, and to its owner', async () => {
		expect(await code(getReviewPage(otherModerator, submitted.slug))).toBe('forbidden');
		expect(await code(getReviewPage(otherModerator, published.slug))).toBe('forbidden');
		expect(await code(getReviewPage(owner, submitted.slug))).toBe('forbidden');
	});

	it('is not_found for an unknown slug, and unauthenticated without a person', async () => {
		expect(await code(getReviewPage(admin, 'no-such-project'))).toBe('not_found');
		expect(await code(getReviewPage(null, submitted.slug))).toBe('unauthenticated');
	});
});
