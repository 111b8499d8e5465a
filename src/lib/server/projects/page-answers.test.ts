// The answers the team's pages get from the projects' policy (the pages show, the commands check).
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject } from '../../../../tests/factories/projects';
import { db } from '../db/client';
import type { Actor } from '../accounts';
import { sql } from 'drizzle-orm';
import { canHandleMoney, canManageTeam } from './index';

useTestDatabase();

let owner: Actor;
let editor: Actor;
let stranger: Actor;
let admin: Actor;
let projectId: string;

beforeAll(async () => {
	const t = await buildTerritory();
	owner = (await buildUser()).actor;
	editor = (await buildUser({ email: 'editor@example.org' })).actor;
	stranger = (await buildUser()).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
	projectId = (await buildProject(owner, t.id)).id;
	// An editor on the team (as an accepted invitation leaves it).
	await db().execute(
		sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${editor.id}, 'editor')`
	);
});

describe("the team pages' answers", () => {
	it('confirming an offline gift: the owner and administrators, not an editor or a stranger', async () => {
		const answers = await Promise.all(
			[owner, admin, editor, stranger, null].map((a) => canHandleMoney(db(), a, projectId))
		);
		expect(answers).toEqual([true, true, false, false, false]);
	});

	it('removing an editor: the owner only', async () => {
		const answers = await Promise.all(
			[owner, admin, editor, stranger, null].map((a) => canManageTeam(db(), a, projectId))
		);
		expect(answers).toEqual([true, false, false, false, false]);
	});
});
