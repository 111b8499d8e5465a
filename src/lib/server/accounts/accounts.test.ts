import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser, ctx, FACTORY_PASSWORD, reloadUser } from '../../../../tests/factories/accounts';
import { tokenFromMail, flushMail } from '../../../../tests/factories/mail';
import { db } from '../db/client';
import { auditLog } from '../platform/schema';
import { AppError } from '../platform/errors';
import {
	signUp,
	signIn,
	verifyEmail,
	validateSession,
	requestPasswordReset,
	resetPassword,
	changePassword,
	requestEmailChange,
	updateProfile,
	exportMyData,
	deleteAccount,
	resendVerification,
	SIGN_IN_LIMITS
} from './index';
import { sessions } from './schema';

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

describe('sign-up and verification', () => {
	it('creates an unverified account, mails a link, and verifies it', async () => {
		const { userId } = await signUp(
			{
				displayName: 'Léa Martin',
				email: 'Lea@Example.org',
				password: 'un jardin partagé au soleil',
				locale: 'fr'
			},
			ctx
		);
		const user = await reloadUser(userId);
		expect(user.email).toBe('lea@example.org');
		expect(user.emailVerifiedAt).toBeNull();
		expect(user.passwordHash).toMatch(/^\$argon2id\$/);

		await expectCode(
			signIn({ email: 'lea@example.org', password: 'un jardin partagé au soleil' }, ctx),
			'validation',
			'email',
			'accounts_error_unverified'
		);

		const mails = await flushMail();
		const mail = mails.find((m) => m.to === 'lea@example.org')!;
		expect(mail.subject).toBe('Confirmez votre adresse e-mail sur Parvis');
		expect(mail.html).toContain('<html lang="fr">');
		const token = await tokenFromMail('lea@example.org', '/verify-email');
		expect((await verifyEmail(token, ctx)).purpose).toBe('verify');
		expect((await reloadUser(userId)).emailVerifiedAt).not.toBeNull();
		// A link works once.
		await expectCode(verifyEmail(token, ctx), 'invalid_token');

		const session = await signIn({ email: 'LEA@example.org', password: 'un jardin partagé au soleil' }, ctx);
		const actor = await validateSession(session.token);
		expect(actor?.id).toBe(userId);
		expect(actor?.displayName).toBe('Léa Martin');
	});

	it('sends the verification mail in the person’s language', async () => {
		await signUp(
			{
				displayName: 'Sam Lee',
				email: 'sam.lee@example.org',
				password: 'walking by the river 42',
				locale: 'en'
			},
			ctx
		);
		const mail = (await flushMail()).find((m) => m.to === 'sam.lee@example.org')!;
		expect(mail.subject).toBe('Confirm your e-mail address on Parvis');
		expect(mail.text).toContain('Hello Sam Lee,');
		await resendVerification('sam.lee@example.org', ctx);
		expect((await flushMail()).filter((m) => m.to === 'sam.lee@example.org')).toHaveLength(2);
	});

	it('refuses a taken e-mail, short, common and personal passwords', async () => {
		await buildUser({ email: 'taken@example.org' });
		const base = { displayName: 'Nora Quartier', locale: 'fr' as const };
		await expectCode(
			signUp({ ...base, email: 'TAKEN@example.org', password: 'a long enough phrase' }, ctx),
			'validation',
			'email',
			'accounts_error_email_taken'
		);
		await expect(signUp({ ...base, email: 'n1@example.org', password: 'short' }, ctx)).rejects.toThrow();
		await expectCode(
			signUp({ ...base, email: 'n2@example.org', password: '1234567890' }, ctx),
			'validation',
			'password',
			'accounts_error_password_common'
		);
		await expectCode(
			signUp({ ...base, email: 'n3@example.org', password: 'PASSWORD1234' }, ctx),
			'validation',
			'password',
			'accounts_error_password_common'
		);
		await expectCode(
			signUp({ ...base, email: 'nora.q@example.org', password: 'hello nora.q forever' }, ctx),
			'validation',
			'password',
			'accounts_error_password_personal'
		);
		await expectCode(
			signUp({ ...base, email: 'n4@example.org', password: 'i am nora quartier!' }, ctx),
			'validation',
			'password',
			'accounts_error_password_personal'
		);
		// Any characters, up to 256.
		const { userId } = await signUp(
			{ ...base, email: 'n5@example.org', password: '🌳🌳 arbres & ëèê 木 '.padEnd(60, 'z') },
			ctx
		);
		expect(userId).toBeTruthy();
		await expect(
			signUp({ ...base, email: 'n6@example.org', password: 'x'.repeat(257) }, ctx)
		).rejects.toThrow();
	});
});

describe('sign-in, sessions and rate limits', () => {
	it('audits failures and successes, and renews the session at each sign-in', async () => {
		const { user } = await buildUser({ email: 'audit@example.org' });
		await expectCode(
			signIn({ email: 'audit@example.org', password: 'wrong password!' }, ctx),
			'validation',
			'password',
			'accounts_error_credentials'
		);
		const a = await signIn({ email: 'audit@example.org', password: FACTORY_PASSWORD }, ctx);
		const b = await signIn({ email: 'audit@example.org', password: FACTORY_PASSWORD }, ctx);
		expect(a.token).not.toBe(b.token);
		const rows = await db().select().from(auditLog).where(eq(auditLog.targetId, user.id));
		expect(rows.map((r) => r.action).sort()).toEqual([
			'accounts.sign_in_failed',
			'accounts.signed_in',
			'accounts.signed_in'
		]);
		expect(rows.find((r) => r.action === 'accounts.sign_in_failed')?.ip).toBe(ctx.ip);
	});

	it('slows down guessing per (e-mail, IP) pair, even when fired in parallel', async () => {
		await buildUser({ email: 'limited@example.org' });
		const attacker = { ip: '198.51.100.1' };
		const attempts = await Promise.allSettled(
			Array.from({ length: 16 }, () =>
				signIn({ email: 'limited@example.org', password: 'not the password' }, attacker)
			)
		);
		const limited = attempts.filter(
			(r) => r.status === 'rejected' && (r.reason as AppError).code === 'rate_limited'
		);
		expect(limited.length).toBe(16 - SIGN_IN_LIMITS.pairFree); // 5 free tries, then a wait
		expect((limited[0] as PromiseRejectedResult).reason.messageKey).toBe('accounts_error_slow_down');
		// From that address and IP, even the right password waits.
		await expectCode(
			signIn({ email: 'limited@example.org', password: FACTORY_PASSWORD }, attacker),
			'rate_limited'
		);
	});

	it('never locks the owner out: another IP signs in at once, the same IP after a growing wait', async () => {
		await buildUser({ email: 'victim@example.org' });
		const attacker = { ip: '198.51.100.9' };
		for (let i = 0; i < 30; i++)
			await signIn({ email: 'victim@example.org', password: `guess ${i}` }, attacker).catch(() => {});
		// The owner, from their usual address, is not affected by the attacker's tries.
		const owner = await signIn(
			{ email: 'victim@example.org', password: FACTORY_PASSWORD },
			{ ip: '192.0.2.33' }
		);
		expect(owner.token).toBeTruthy();

		// The wait from one pair grows (30 s, 60 s, 120 s…) and stops at 5 minutes: after it, a try passes.
		const key = `signin:pair:victim@example.org|${attacker.ip}`;
		const waited = async (seconds: number) =>
			db().execute(
				sql`UPDATE rate_limits SET window_start = now() - make_interval(secs => ${seconds}::float8) WHERE key = ${key}`
			);
		const count = async () =>
			Number(
				(await db().execute<{ count: number }>(sql`SELECT count FROM rate_limits WHERE key = ${key}`)).rows[0]
					.count
			);
		expect(await count()).toBe(SIGN_IN_LIMITS.pairFree); // refused tries are not counted
		await waited(SIGN_IN_LIMITS.pairBaseSeconds - 1);
		await expectCode(signIn({ email: 'victim@example.org', password: 'guess' }, attacker), 'rate_limited');
		await waited(SIGN_IN_LIMITS.pairBaseSeconds);
		await expectCode(signIn({ email: 'victim@example.org', password: 'guess' }, attacker), 'validation');
		await waited(2 * SIGN_IN_LIMITS.pairBaseSeconds - 1);
		await expectCode(signIn({ email: 'victim@example.org', password: 'guess' }, attacker), 'rate_limited');
		await waited(2 * SIGN_IN_LIMITS.pairBaseSeconds);
		await expectCode(signIn({ email: 'victim@example.org', password: 'guess' }, attacker), 'validation');
		await db().execute(sql`UPDATE rate_limits SET count = 40 WHERE key = ${key}`);
		await waited(SIGN_IN_LIMITS.pairMaxSeconds - 1);
		await expectCode(signIn({ email: 'victim@example.org', password: 'guess' }, attacker), 'rate_limited');
		await waited(SIGN_IN_LIMITS.pairMaxSeconds);
		const back = await signIn({ email: 'victim@example.org', password: FACTORY_PASSWORD }, attacker);
		expect(back.token).toBeTruthy();
		// A success forgets the pair's failures.
		expect((await db().execute(sql`SELECT 1 FROM rate_limits WHERE key = ${key}`)).rows).toEqual([]);
	});

	it('limits sign-in attempts per IP address across e-mails', async () => {
		const ip = '198.51.100.77';
		const results = await Promise.allSettled(
			Array.from({ length: 105 }, (_, i) =>
				signIn({ email: `nobody${i}@example.org`, password: 'whatever it is' }, { ip })
			)
		);
		expect(
			results.filter((r) => r.status === 'rejected' && (r.reason as AppError).code === 'rate_limited').length
		).toBe(5);
	});

	it('expires sessions after idle time and at the absolute limit', async () => {
		const { user } = await buildUser();
		const { token } = await signIn({ email: user.email, password: FACTORY_PASSWORD }, { ip: '192.0.2.50' });
		expect(await validateSession(token)).not.toBeNull();
		await db().execute(
			sql`UPDATE sessions SET last_seen_at = now() - interval '15 days' WHERE user_id = ${user.id}`
		);
		expect(await validateSession(token)).toBeNull();
		await db().execute(
			sql`UPDATE sessions SET last_seen_at = now(), expires_at = now() - interval '1 second' WHERE user_id = ${user.id}`
		);
		expect(await validateSession(token)).toBeNull();
		expect(await validateSession('not-a-token')).toBeNull();
	});
});

describe('password reset and changes', () => {
	it('resets a password by e-mail and ends every session', async () => {
		const { user } = await buildUser({ email: 'reset@example.org', locale: 'en' });
		const { token: sessionToken } = await signIn(
			{ email: 'reset@example.org', password: FACTORY_PASSWORD },
			{ ip: '192.0.2.60' }
		);
		await requestPasswordReset('reset@example.org', ctx);
		await requestPasswordReset('unknown@example.org', ctx); // same answer, no mail
		const token = await tokenFromMail('reset@example.org', '/password/reset');
		await expectCode(
			resetPassword({ token, password: 'password123' }, ctx),
			'validation',
			'password',
			'accounts_error_password_common'
		);
		await resetPassword({ token, password: 'a brand new secret phrase' }, ctx);
		expect(await validateSession(sessionToken)).toBeNull();
		await expectCode(resetPassword({ token, password: 'another new secret phrase' }, ctx), 'invalid_token');
		const s = await signIn(
			{ email: 'reset@example.org', password: 'a brand new secret phrase' },
			{ ip: '192.0.2.61' }
		);
		expect(s.userId).toBe(user.id);
		const mails = await flushMail();
		expect(mails.some((m) => m.to === 'unknown@example.org')).toBe(false);
		expect(
			mails.some((m) => m.to === 'reset@example.org' && m.subject === 'Your Parvis password changed')
		).toBe(true);
	});

	it('rate-limits reset requests per e-mail', async () => {
		await buildUser({ email: 'spam-reset@example.org' });
		const results = await Promise.allSettled(
			Array.from({ length: 8 }, () => requestPasswordReset('spam-reset@example.org', { ip: '192.0.2.70' }))
		);
		expect(results.filter((r) => r.status === 'rejected').length).toBe(3);
	});

	it('changes the password after checking the current one, ending other sessions', async () => {
		const { user, actor } = await buildUser();
		const other = await signIn({ email: user.email, password: FACTORY_PASSWORD }, { ip: '192.0.2.80' });
		await expectCode(
			changePassword(actor, { currentPassword: 'wrong one!!', newPassword: 'my next long secret' }, ctx),
			'validation',
			'currentPassword',
			'accounts_error_current_password'
		);
		const fresh = await changePassword(
			actor,
			{ currentPassword: FACTORY_PASSWORD, newPassword: 'my next long secret' },
			ctx
		);
		expect(await validateSession(other.token)).toBeNull();
		expect((await validateSession(fresh))?.id).toBe(user.id);
		const count = await db().select().from(sessions).where(eq(sessions.userId, user.id));
		expect(count).toHaveLength(1);
		await expectCode(
			changePassword(null, { currentPassword: 'x', newPassword: 'my next long secret' }, ctx),
			'unauthenticated'
		);
	});

	it('changes the e-mail only once the new address is confirmed', async () => {
		const { user, actor } = await buildUser({ email: 'old@example.org' });
		await buildUser({ email: 'someone@example.org' });
		await expectCode(
			requestEmailChange(actor, { newEmail: 'someone@example.org', currentPassword: FACTORY_PASSWORD }, ctx),
			'validation',
			'newEmail',
			'accounts_error_email_taken'
		);
		await requestEmailChange(actor, { newEmail: 'New@Example.org', currentPassword: FACTORY_PASSWORD }, ctx);
		expect((await reloadUser(user.id)).email).toBe('old@example.org');
		const token = await tokenFromMail('new@example.org', '/verify-email');
		expect((await verifyEmail(token, ctx)).purpose).toBe('email_change');
		expect((await reloadUser(user.id)).email).toBe('new@example.org');
	});
});

describe('profile, export and deletion', () => {
	it('updates the profile with interests, skills and home territory', async () => {
		const { user, actor } = await buildUser();
		const themes = await db().execute<{ id: string }>(sql`SELECT id FROM themes ORDER BY position LIMIT 2`);
		await updateProfile(actor, {
			displayName: 'Zoé Bricole',
			bio: 'Réparatrice de vélos',
			skills: ['mécanique', 'soudure', 'mécanique'],
			interests: themes.rows.map((r) => r.id),
			homeTerritoryId: null,
			locale: 'en'
		});
		const u = await reloadUser(user.id);
		expect(u.displayName).toBe('Zoé Bricole');
		expect(u.locale).toBe('en');
		const data = await exportMyData(actor);
		expect(data.account.displayName).toBe('Zoé Bricole');
		expect(data.interests).toHaveLength(2);
		await expectCode(
			updateProfile(actor, {
				displayName: 'x',
				bio: '',
				skills: [],
				interests: ['00000000-0000-4000-8000-000000000000'],
				homeTerritoryId: null,
				locale: 'fr'
			}),
			'validation',
			'interests',
			'form_error_invalid'
		);
		await expectCode(exportMyData(null), 'unauthenticated');
	});

	it('anonymizes a deleted account and keeps the row', async () => {
		const { user, actor } = await buildUser({ email: 'leaving@example.org', displayName: 'Paul Départ' });
		await signIn({ email: 'leaving@example.org', password: FACTORY_PASSWORD }, { ip: '192.0.2.90' });
		await expectCode(
			deleteAccount(actor, { currentPassword: 'wrong password' }, ctx),
			'validation',
			'currentPassword',
			'accounts_error_current_password'
		);
		await deleteAccount(actor, { currentPassword: FACTORY_PASSWORD }, ctx);
		const u = await reloadUser(user.id);
		expect(u.deletedAt).not.toBeNull();
		expect(u.email).not.toContain('leaving');
		expect(u.displayName).toBe('');
		expect(u.passwordHash).toBeNull();
		expect(await db().select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
		// The address is free again; the old account cannot sign in.
		await expectCode(
			signIn({ email: 'leaving@example.org', password: FACTORY_PASSWORD }, { ip: '192.0.2.91' }),
			'validation'
		);
		const again = await signUp(
			{
				displayName: 'Paul Retour',
				email: 'leaving@example.org',
				password: 'coming back again soon',
				locale: 'fr'
			},
			ctx
		);
		expect(again.userId).not.toBe(user.id);
	});

	it('refuses to delete the last administrator', async () => {
		await db().execute(sql`UPDATE users SET is_admin = false`);
		const { actor } = await buildUser({ isAdmin: true });
		await expectCode(deleteAccount(actor, { currentPassword: FACTORY_PASSWORD }, ctx), 'conflict');
	});
});
