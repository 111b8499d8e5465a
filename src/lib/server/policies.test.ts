// The rules of every domain's policy.ts, asked through its can(actor, rule, resource) face: for each
// rule, who is allowed (the right role) and who is refused (signed out, a wrong role). The last test
// checks that every rule a policy names has its row here.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../tests/db';
import { buildUser } from '../../../tests/factories/accounts';
import { buildTerritory } from '../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../tests/factories/projects';
import { db } from './db/client';
import { AppError } from './platform/errors';
import { projectMembers } from './projects/schema';
import * as accounts from './accounts';
import * as territories from './territories';
import * as projects from './projects';
import * as needs from './needs';
import * as moderation from './moderation';
import * as contributions from './contributions';
import * as receipts from './receipts';

useTestDatabase();

type Actor = accounts.Actor;
const people: Record<string, Actor | null> = { anonymous: null };
let draft: projects.ProjectRow;
let live: projects.ProjectRow;
let region: string;
let city: string;
let elsewhere: string;

beforeAll(async () => {
	region = (await buildTerritory({ kind: 'region' })).id;
	city = (await buildTerritory({ parentId: region })).id;
	elsewhere = (await buildTerritory({ kind: 'region' })).id;
	people.admin = (await buildUser({ isAdmin: true })).actor;
	people.user = (await buildUser()).actor;
	people.owner = (await buildUser()).actor;
	people.editor = (await buildUser()).actor;
	people.moderator = (await buildUser({ moderates: [region] })).actor;
	people.otherModerator = (await buildUser({ moderates: [elsewhere] })).actor;
	const d = await buildProject(people.owner!, city, { title: 'Brouillon' });
	const l = await buildProject(people.owner!, city, { title: 'Publié' });
	await publishProject(people.owner!, people.admin!, l.id);
	for (const projectId of [d.id, l.id])
		await db().insert(projectMembers).values({ projectId, userId: people.editor!.id, role: 'editor' });
	draft = await projects.lockProject(db(), d.id);
	live = await projects.lockProject(db(), l.id);
});

type Can = (actor: Actor | null, rule: never, resource?: never) => Promise<boolean>;
/** [domain, its can, rule, the resource, who is allowed, who is refused]. */
const rows: [string, Can, string, () => unknown, string[], string[]][] = [
	[
		'accounts',
		accounts.can as Can,
		'accounts.administer',
		() => undefined,
		['admin'],
		['anonymous', 'user', 'moderator']
	],
	[
		'accounts',
		accounts.can as Can,
		'territory.moderate',
		() => ({ id: city }),
		['moderator', 'admin'],
		['anonymous', 'user', 'otherModerator', 'owner']
	],
	[
		'territories',
		territories.can as Can,
		'territories.manage',
		() => undefined,
		['admin'],
		['anonymous', 'user', 'moderator']
	],
	[
		'territories',
		territories.can as Can,
		'themes.manage',
		() => undefined,
		['admin'],
		['anonymous', 'user', 'moderator']
	],
	[
		'projects',
		projects.can as Can,
		'project.see',
		() => draft,
		['owner', 'editor', 'moderator', 'admin'],
		['anonymous', 'user', 'otherModerator']
	],
	['projects', projects.can as Can, 'project.see', () => live, ['anonymous', 'user', 'owner'], []],
	[
		'projects',
		projects.can as Can,
		'project.manage',
		() => draft,
		['owner', 'editor'],
		['anonymous', 'user', 'moderator', 'admin']
	],
	[
		'projects',
		projects.can as Can,
		'project.manage_team',
		() => draft,
		['owner'],
		['anonymous', 'user', 'editor', 'admin']
	],
	[
		'projects',
		projects.can as Can,
		'project.cancel',
		() => draft,
		['owner', 'moderator', 'admin'],
		['anonymous', 'user', 'editor', 'otherModerator']
	],
	[
		'needs',
		needs.can as Can,
		'needs.manage',
		() => draft,
		['owner', 'editor'],
		['anonymous', 'user', 'admin']
	],
	[
		'moderation',
		moderation.can as Can,
		'criteria.manage',
		() => undefined,
		['admin'],
		['anonymous', 'user', 'moderator']
	],
	[
		'moderation',
		moderation.can as Can,
		'project.submit',
		() => draft,
		['owner', 'editor'],
		['anonymous', 'user', 'moderator']
	],
	[
		'moderation',
		moderation.can as Can,
		'project.review',
		() => draft,
		['moderator', 'admin'],
		['anonymous', 'owner', 'editor', 'otherModerator', 'user']
	],
	[
		'contributions',
		contributions.can as Can,
		'contributions.give',
		() => undefined,
		['user', 'owner'],
		['anonymous']
	],
	[
		'contributions',
		contributions.can as Can,
		'contribution.withdraw',
		() => ({ contributorId: people.user!.id }),
		['user'],
		['anonymous', 'owner', 'admin']
	],
	[
		'contributions',
		contributions.can as Can,
		'contributions.confirm',
		() => live,
		['owner', 'editor'],
		['anonymous', 'user', 'moderator', 'admin']
	],
	[
		'contributions',
		contributions.can as Can,
		'contributions.view',
		() => live,
		['owner', 'editor'],
		['anonymous', 'user', 'admin']
	],
	[
		'receipts',
		receipts.can as Can,
		'receipts.manage_issuers',
		() => undefined,
		['admin'],
		['anonymous', 'user', 'owner']
	],
	['receipts', receipts.can as Can, 'receipts.request', () => undefined, ['user'], ['anonymous']],
	[
		'receipts',
		receipts.can as Can,
		'receipt.request_for',
		() => ({ contributorId: people.user!.id }),
		['user'],
		['anonymous', 'owner', 'admin']
	]
];

describe('domain policies', () => {
	it.each(rows)('%s: %s', async (_domain, can, rule, resource, allowed, refused) => {
		for (const who of allowed)
			expect(await can(people[who], rule as never, resource() as never), `${who} may ${rule}`).toBe(true);
		for (const who of refused)
			expect(await can(people[who], rule as never, resource() as never), `${who} may not ${rule}`).toBe(
				false
			);
	});

	it('authorize answers unauthenticated when signed out and forbidden for a wrong role', async () => {
		const fail = (p: Promise<unknown>) =>
			p.then(
				() => 'allowed',
				(e) => (e instanceof AppError ? e.code : String(e))
			);
		expect(await fail(projects.authorize(null, 'project.manage', draft))).toBe('unauthenticated');
		expect(await fail(projects.authorize(people.user, 'project.manage', draft))).toBe('forbidden');
		expect(await projects.authorize(people.editor, 'project.manage', draft)).toBe(people.editor);
		expect(await fail(territories.authorize(people.user, 'territories.manage'))).toBe('forbidden');
	});

	it('keeps the old named helpers as the same rules', async () => {
		expect(() => accounts.requireAdmin(people.user)).toThrow(AppError);
		expect(accounts.requireAdmin(people.admin)).toBe(people.admin);
		expect(await projects.canSeeProject(db(), null, draft)).toBe(false);
		expect(await projects.canSeeProject(db(), null, live)).toBe(true);
		await expect(projects.requireTeam(db(), people.user, draft.id)).rejects.toMatchObject({
			code: 'forbidden'
		});
		await expect(projects.requireOwner(db(), people.editor, draft.id)).rejects.toMatchObject({
			code: 'forbidden'
		});
		expect(await projects.requireOwner(db(), people.owner, draft.id)).toBe(people.owner);
	});

	it('has a row for every rule of every policy', () => {
		const named = [
			...accounts.accountsPolicy.rules,
			...territories.territoriesPolicy.rules,
			...projects.projectsPolicy.rules,
			...needs.needsPolicy.rules,
			...moderation.moderationPolicy.rules,
			...contributions.contributionsPolicy.rules,
			...receipts.receiptsPolicy.rules
		];
		const covered = new Set(rows.map(([, , rule]) => rule));
		expect(named.filter((r) => !covered.has(r))).toEqual([]);
	});
});
