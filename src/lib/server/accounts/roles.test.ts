import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser, ctx, reloadUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { db } from '../db/client';
import { auditLog } from '../platform/schema';
import { audit } from '../platform/audit';
import { listAudit } from './audit-log';
import { AppError } from '../platform/errors';
import { createSession } from './sessions';
import { moderatorAssignments } from './schema';
import {
	grantModerator,
	revokeModerator,
	setAdministrator,
	canModerateTerritory,
	requireModerator,
	getUserForAdmin,
	listUsers,
	validateSession,
	deleteAccount,
	type Actor
} from './index';
import { FACTORY_PASSWORD } from '../../../../tests/factories/accounts';

useTestDatabase();

async function expectCode(p: Promise<unknown>, code: string, key?: string) {
	const e = await p.then(
		() => null,
		(err) => err
	);
	expect(e, 'expected an AppError').toBeInstanceOf(AppError);
	expect((e as AppError).code).toBe(code);
	if (key) expect((e as AppError).messageKey).toBe(key);
}

async function auditFor(targetId: string, action: string) {
	return db()
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.targetId, targetId), eq(auditLog.action, action)));
}

async function assignments(userId: string) {
	const rows = await db()
		.select({ territoryId: moderatorAssignments.territoryId, grantedBy: moderatorAssignments.grantedBy })
		.from(moderatorAssignments)
		.where(eq(moderatorAssignments.userId, userId));
	return rows;
}

/** The actor a fresh session for this person would give (roles read from the database). */
async function sessionActor(userId: string): Promise<Actor> {
	const token = await createSession(db(), userId, 'vitest');
	const actor = await validateSession(token);
	if (!actor) throw new Error('no session');
	return actor;
}

describe('moderator roles', () => {
	it('grants a moderator role once, audits it, and revokes it', async () => {
		const { actor: admin } = await buildUser({ isAdmin: true });
		const { user } = await buildUser();
		const t = await buildTerritory();

		await grantModerator(admin, user.id, t.id, ctx);
		expect(await assignments(user.id)).toEqual([{ territoryId: t.id, grantedBy: admin.id }]);
		expect((await getUserForAdmin(admin, user.id))?.moderatorOf).toEqual([t.id]);
		expect((await sessionActor(user.id)).moderatorOf).toEqual([t.id]);
		const [granted] = await auditFor(user.id, 'roles.moderator_granted');
		expect(granted).toMatchObject({ actorId: admin.id, targetType: 'user', ip: ctx.ip });
		expect(granted.data).toEqual({ territoryId: t.id });

		// Granting again changes nothing and writes no second audit row.
		await grantModerator(admin, user.id, t.id, ctx);
		expect(await assignments(user.id)).toHaveLength(1);
		expect(await auditFor(user.id, 'roles.moderator_granted')).toHaveLength(1);

		await revokeModerator(admin, user.id, t.id, ctx);
		expect(await assignments(user.id)).toEqual([]);
		const revoked = await auditFor(user.id, 'roles.moderator_revoked');
		expect(revoked).toHaveLength(1);
		expect(revoked[0].data).toEqual({ territoryId: t.id });
		// Revoking a role the person does not hold is not audited.
		await revokeModerator(admin, user.id, t.id, ctx);
		expect(await auditFor(user.id, 'roles.moderator_revoked')).toHaveLength(1);
	});

	it('refuses an unknown territory, an unknown person and a deleted account', async () => {
		const { actor: admin } = await buildUser({ isAdmin: true });
		const { user, actor } = await buildUser();
		const t = await buildTerritory();
		const e = await grantModerator(admin, user.id, randomUUID(), ctx).catch((err) => err);
		expect(e).toBeInstanceOf(AppError);
		expect((e as AppError).code).toBe('validation');
		expect((e as AppError).fields).toEqual({ territoryId: 'form_error_invalid' });
		await expectCode(grantModerator(admin, randomUUID(), t.id, ctx), 'not_found');

		await deleteAccount(actor, { currentPassword: FACTORY_PASSWORD }, ctx);
		await expectCode(grantModerator(admin, user.id, t.id, ctx), 'not_found');
		expect(await assignments(user.id)).toEqual([]);
	});
});

describe('administrator role', () => {
	it('grants and removes the administrator role, auditing both', async () => {
		const { actor: admin } = await buildUser({ isAdmin: true });
		const { user } = await buildUser();
		await setAdministrator(admin, user.id, true, ctx);
		expect((await reloadUser(user.id)).isAdmin).toBe(true);
		expect((await sessionActor(user.id)).isAdmin).toBe(true);
		expect(await auditFor(user.id, 'roles.admin_granted')).toHaveLength(1);

		// Setting the same value again is a no-op, not audited.
		await setAdministrator(admin, user.id, true, ctx);
		expect(await auditFor(user.id, 'roles.admin_granted')).toHaveLength(1);

		await setAdministrator(admin, user.id, false, ctx);
		expect((await reloadUser(user.id)).isAdmin).toBe(false);
		const [row] = await auditFor(user.id, 'roles.admin_revoked');
		expect(row).toMatchObject({ actorId: admin.id, targetType: 'user', ip: ctx.ip });
	});

	it('never removes the last administrator', async () => {
		// Make this person the only administrator: demote every other one first.
		const { user, actor } = await buildUser({ isAdmin: true });
		const others = await listUsers(actor, { page: 1 });
		for (let page = 1; ; page++) {
			const list = page === 1 ? others : await listUsers(actor, { page });
			for (const u of list.rows)
				if (u.isAdmin && u.id !== user.id) await setAdministrator(actor, u.id, false, ctx);
			if (page * list.pageSize >= list.total) break;
		}
		await expectCode(setAdministrator(actor, user.id, false, ctx), 'conflict', 'accounts_error_last_admin');
		expect((await reloadUser(user.id)).isAdmin).toBe(true);
		expect(await auditFor(user.id, 'roles.admin_revoked')).toHaveLength(0);

		// With a second administrator, either may step down.
		const { user: second } = await buildUser();
		await setAdministrator(actor, second.id, true, ctx);
		await setAdministrator(actor, user.id, false, ctx);
		expect((await reloadUser(user.id)).isAdmin).toBe(false);
		const secondActor = await sessionActor(second.id);
		await expectCode(
			setAdministrator(secondActor, second.id, false, ctx),
			'conflict',
			'accounts_error_last_admin'
		);
		expect((await reloadUser(second.id)).isAdmin).toBe(true);
	});

	it('refuses an unknown person', async () => {
		const { actor: admin } = await buildUser({ isAdmin: true });
		await expectCode(setAdministrator(admin, randomUUID(), true, ctx), 'not_found');
	});
});

describe('only administrators change roles', () => {
	it('refuses anonymous people and non-administrators, changing nothing', async () => {
		const t = await buildTerritory();
		const { user: target } = await buildUser();
		const { user: holder } = await buildUser({ moderates: [t.id] });
		const { actor: person } = await buildUser();
		const { actor: moderator } = await buildUser({ moderates: [t.id] });
		const attempts = (actor: Actor | null) => [
			grantModerator(actor, target.id, t.id, ctx),
			revokeModerator(actor, holder.id, t.id, ctx),
			setAdministrator(actor, target.id, true, ctx),
			setAdministrator(actor, (actor ?? person).id, true, ctx)
		];
		for (const p of attempts(null)) await expectCode(p, 'unauthenticated', 'error_unauthenticated');
		for (const p of attempts(person)) await expectCode(p, 'forbidden', 'error_forbidden');
		for (const p of attempts(moderator)) await expectCode(p, 'forbidden', 'error_forbidden');
		await expectCode(getUserForAdmin(moderator, target.id), 'forbidden');
		await expectCode(listUsers(null), 'unauthenticated');

		expect(await assignments(target.id)).toEqual([]);
		expect((await assignments(holder.id)).map((a) => a.territoryId)).toEqual([t.id]);
		expect((await reloadUser(target.id)).isAdmin).toBe(false);
		expect((await reloadUser(person.id)).isAdmin).toBe(false);
		expect((await reloadUser(moderator.id)).isAdmin).toBe(false);
	});
});

describe('moderation scope', () => {
	it('lets a region moderator moderate its neighbourhoods but not another region', async () => {
		const { actor: admin } = await buildUser({ isAdmin: true });
		const region = await buildTerritory({ kind: 'region' });
		const city = await buildTerritory({ kind: 'city', parentId: region.id });
		const neighbourhood = await buildTerritory({ kind: 'neighbourhood', parentId: city.id });
		const otherRegion = await buildTerritory({ kind: 'region' });
		const otherCity = await buildTerritory({ kind: 'city', parentId: otherRegion.id });
		const { user } = await buildUser();

		// Through the real command and a fresh session, as in the application.
		await grantModerator(admin, user.id, region.id, ctx);
		const moderator = await sessionActor(user.id);
		expect(await canModerateTerritory(db(), moderator, region.id)).toBe(true);
		expect(await canModerateTerritory(db(), moderator, city.id)).toBe(true);
		expect(await canModerateTerritory(db(), moderator, neighbourhood.id)).toBe(true);
		expect(await canModerateTerritory(db(), moderator, otherRegion.id)).toBe(false);
		expect(await canModerateTerritory(db(), moderator, otherCity.id)).toBe(false);
		expect((await requireModerator(db(), moderator, neighbourhood.id)).id).toBe(user.id);
		await expectCode(requireModerator(db(), moderator, otherCity.id), 'forbidden');

		// A neighbourhood moderator does not moderate upwards.
		const { actor: local } = await buildUser({ moderates: [neighbourhood.id] });
		expect(await canModerateTerritory(db(), local, neighbourhood.id)).toBe(true);
		expect(await canModerateTerritory(db(), local, city.id)).toBe(false);

		// Administrators moderate everywhere; anonymous people and plain members nowhere.
		expect(await canModerateTerritory(db(), admin, otherCity.id)).toBe(true);
		expect(await canModerateTerritory(db(), null, neighbourhood.id)).toBe(false);
		const { actor: member } = await buildUser();
		expect(await canModerateTerritory(db(), member, neighbourhood.id)).toBe(false);
		await expectCode(requireModerator(db(), null, neighbourhood.id), 'unauthenticated');

		// Once revoked, a new session no longer moderates the region.
		await revokeModerator(admin, user.id, region.id, ctx);
		expect(await canModerateTerritory(db(), await sessionActor(user.id), neighbourhood.id)).toBe(false);
	});
});

describe('audit log for administrators', () => {
	it('lists newest first with names, filters by action prefix, and pages', async () => {
		const { actor: admin } = await buildUser({ isAdmin: true, displayName: 'Camille Admin' });
		const { user } = await buildUser({ displayName: 'Yanis Bénévole' });
		const t = await buildTerritory({ nameFr: 'Presqu’île', nameEn: 'Peninsula' });
		await grantModerator(admin, user.id, t.id, ctx);
		await setAdministrator(admin, user.id, true, ctx);
		await audit(db(), {
			actorId: admin.id,
			action: 'territories.archived',
			targetType: 'territory',
			targetId: t.id
		});

		const all = await listAudit(admin);
		expect(all.page).toBe(1);
		expect(all.total).toBeGreaterThanOrEqual(3);
		const times = all.rows.map((r) => r.createdAt.getTime());
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect(all.rows[0]).toMatchObject({
			action: 'territories.archived',
			actorName: 'Camille Admin',
			targetNameFr: 'Presqu’île',
			targetNameEn: 'Peninsula'
		});
		expect(all.prefixes).toEqual(expect.arrayContaining(['roles', 'territories']));

		const roles = await listAudit(admin, { action: 'roles.' });
		expect(roles.rows.length).toBeGreaterThanOrEqual(2);
		expect(roles.rows.every((r) => r.action.startsWith('roles.'))).toBe(true);
		expect(roles.rows.find((r) => r.action === 'roles.admin_granted')).toMatchObject({
			actorId: admin.id,
			targetUserName: 'Yanis Bénévole',
			ip: ctx.ip
		});
		// LIKE wildcards in the filter are taken literally.
		expect((await listAudit(admin, { action: 'roles_' })).total).toBe(0);
		expect((await listAudit(admin, { action: '%' })).total).toBe(0);

		// Pages of 50, the second one continuing the first.
		for (let i = 0; i < 55; i++) await audit(db(), { actorId: admin.id, action: 'test.filler' });
		const page1 = await listAudit(admin, { action: 'test.' });
		const page2 = await listAudit(admin, { action: 'test.', page: 2 });
		expect(page1.total).toBe(55);
		expect(page1.rows).toHaveLength(page1.pageSize);
		expect(page2.rows).toHaveLength(55 - page1.pageSize);
		const ids = new Set([...page1.rows, ...page2.rows].map((r) => r.id));
		expect(ids.size).toBe(55);
	});

	it('is for administrators only', async () => {
		const { actor: person } = await buildUser();
		await expectCode(listAudit(null), 'unauthenticated');
		await expectCode(listAudit(person), 'forbidden');
	});
});
