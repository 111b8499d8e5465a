// GDPR: what "download my data" contains, and what an account deletion leaves behind — searched for in
// every table of the database (the job queue's too) and in the mail outbox, on PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser, ctx, FACTORY_PASSWORD } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { flushMail } from '../../../../tests/factories/mail';
import { db } from '../db/client';
import { config } from '../platform/config';
import { addNeed } from '../needs';
import { donate, completePayment } from '../payments';
import { setProjectIssuer, requestReceipt } from '../receipts';
import { inviteEditor } from '../projects';
import { deleteAccount, exportMyData, requestPasswordReset, signIn, type Actor } from './index';

process.env.PARVIS_PAYMENTS_TEST = '1';
useTestDatabase();

const EMAIL = 'hortense.efface@example.org';
const NAME = 'Hortense Effacée';
const ADDRESS = '5 rue des Oubliés, 42000 Saint-Étienne';

let person: Actor;
let owner: Actor;
let admin: Actor;
let projectId: string;

// Someone whose address contains the person's: none of their traces may go.
const NEIGHBOUR = `marc.${EMAIL}`;
/** The person's address as a whole word (not inside the neighbour's), for PostgreSQL and JavaScript. */
const EMAIL_WORD = '(^|[^a-z0-9._%+-])hortense\\.efface@example\\.org($|[^a-z0-9.-])';

/** Tables (public and pgboss schemas) with at least one row whose text matches, any case. */
async function tablesMatching(pattern: string): Promise<string[]> {
	const tables = await db().execute<{ schema: string; name: string }>(sql`
		SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
		WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE' ORDER BY 1, 2`);
	const found: string[] = [];
	for (const t of tables.rows) {
		const r = await db().execute<{ n: number }>(
			sql.raw(
				`SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}" x WHERE x::text ~* '${pattern.replace(/'/g, "''")}'`
			)
		);
		if (Number(r.rows[0].n) > 0) found.push(t.schema === 'public' ? t.name : `${t.schema}.${t.name}`);
	}
	return [...new Set(found)];
}

/** Tables (public and pgboss schemas) with at least one row whose text contains `needle`, any case. */
async function tablesContaining(needle: string): Promise<string[]> {
	const tables = await db().execute<{ schema: string; name: string }>(sql`
		SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
		WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE' ORDER BY 1, 2`);
	const found: string[] = [];
	for (const t of tables.rows) {
		const r = await db().execute<{ n: number }>(
			sql.raw(
				`SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}" x WHERE strpos(lower(x::text), lower('${needle.replace(/'/g, "''")}')) > 0`
			)
		);
		if (Number(r.rows[0].n) > 0) found.push(t.schema === 'public' ? t.name : `${t.schema}.${t.name}`);
	}
	return [...new Set(found)];
}

/** Outbox files whose content contains `needle` (a string, any case, or a pattern). */
async function outboxContaining(needle: string | RegExp): Promise<string[]> {
	const dir = config().outboxDir;
	const files = await readdir(dir).catch(() => [] as string[]);
	const hits: string[] = [];
	for (const f of files) {
		const text = await readFile(join(dir, f), 'utf8');
		const found =
			typeof needle === 'string' ? text.toLowerCase().includes(needle.toLowerCase()) : needle.test(text);
		if (found) hits.push(f);
	}
	return hits;
}

beforeAll(async () => {
	admin = (await buildUser({ isAdmin: true })).actor;
	owner = (await buildUser({ displayName: 'Octave Porteur' })).actor;
	person = (await buildUser({ email: EMAIL, displayName: NAME })).actor;
	const territory = await buildTerritory();
	const project = await buildProject(owner, territory.id, { title: 'Fournil du quartier' });
	projectId = project.id;
	const need = await addNeed(owner, project.id, {
		kind: 'money',
		title: 'Four à pain',
		goalMinor: '2000',
		currency: 'EUR',
		campaignModel: 'keep_it_all',
		deadline: `${new Date().getFullYear() + 1}-12-31`
	} as never);
	await publishProject(owner, admin, project.id);
	await setProjectIssuer(admin, project.id, {
		name: 'Association Le Fournil',
		address: '1 place du Pain, 42000 Saint-Étienne',
		legalStatus: 'Association d’intérêt général (loi 1901)',
		country: 'FR',
		registrationNumber: 'W421009999',
		eligible: 'on'
	});

	// The person gives and asks for a tax receipt (it prints their name and postal address).
	const { contributionId } = await donate(person, need.id, {
		amountMinor: '40',
		tipMinor: '0',
		anonymous: false,
		message: 'Bon courage !',
		method: 'test',
		idempotencyKey: randomUUID()
	});
	await completePayment({
		contributionId,
		providerEvent: `test:${contributionId}`,
		outcome: 'succeeded',
		amountMinor: 4000,
		currency: 'EUR'
	});
	await requestReceipt(person, contributionId, { donorName: NAME, donorAddress: ADDRESS });

	// Traces of the address elsewhere: a failed sign-in (audit data, rate-limit key), a password reset
	// (rate-limit key, a mail), an invitation to join a team (invitation row, audit data, a mail).
	await signIn({ email: EMAIL, password: 'not the password' }, ctx).catch(() => {});
	await requestPasswordReset(EMAIL, ctx);
	await buildUser({ email: NEIGHBOUR, displayName: 'Marc Voisin' });
	await signIn({ email: NEIGHBOUR, password: 'not the password' }, ctx).catch(() => {});
	await requestPasswordReset(NEIGHBOUR, ctx);
	await inviteEditor(owner, project.id, EMAIL);
	// The person invites a friend to their own project: that mail names them.
	const own = await buildProject(person, territory.id, { title: 'Atelier vélo' });
	await inviteEditor(person, own.id, 'ami.de.hortense@example.org');
	await flushMail(); // delivered: completed jobs and outbox files
	await requestPasswordReset(EMAIL, ctx); // still queued at deletion time
});

describe('GDPR: export and deletion', () => {
	it('exports the tax receipts (name, postal address) and the invitations sent to the address', async () => {
		// The receipts and invitations sections come from their domains (registered in app.ts).
		const data = (await exportMyData(person)) as unknown as Record<string, Record<string, unknown>[]>;
		expect(data.receipts).toHaveLength(1);
		expect(data.receipts[0]).toMatchObject({
			donorName: NAME,
			donorAddress: ADDRESS,
			amountMinor: 4000,
			currency: 'EUR',
			issuer: 'Association Le Fournil'
		});
		expect(data.invitations).toHaveLength(1);
		expect(data.invitations[0]).toMatchObject({ project: 'Fournil du quartier', acceptedAt: null });
		expect(JSON.stringify(data)).toContain(ADDRESS);
	});

	it('leaves neither the address nor the name anywhere after deletion, except on the tax receipt', async () => {
		// Before: the traces are really there (so the search below can find them).
		const before = await tablesMatching(EMAIL_WORD);
		expect(before).toEqual(
			expect.arrayContaining(['users', 'audit_log', 'rate_limits', 'project_invitations', 'pgboss.job'])
		);
		expect((await outboxContaining(EMAIL)).length).toBeGreaterThanOrEqual(2);
		expect((await outboxContaining(NAME)).length).toBeGreaterThanOrEqual(1);

		await deleteAccount(person, { currentPassword: FACTORY_PASSWORD }, ctx);

		expect(await tablesMatching(EMAIL_WORD)).toEqual([]);
		expect(await tablesContaining(NAME)).toEqual(['tax_receipts']);
		expect(await tablesContaining(ADDRESS)).toEqual(['tax_receipts']);
		expect(await outboxContaining(new RegExp(EMAIL_WORD, 'i'))).toEqual([]);
		expect(await outboxContaining(NAME)).toEqual([]);
		// The neighbour keeps everything: account, failed sign-in in the log, rate-limit keys, their mail.
		expect(await tablesContaining(NEIGHBOUR)).toEqual(
			expect.arrayContaining(['users', 'audit_log', 'rate_limits', 'pgboss.job'])
		);
		expect(await outboxContaining(NEIGHBOUR)).toHaveLength(1);

		// The team no longer sees the address among its invitations; the audit log still says what happened.
		const invited = await db().execute(
			sql`SELECT 1 FROM project_invitations WHERE project_id = ${projectId}`
		);
		expect(invited.rows).toHaveLength(0);
		const log = await db().execute<{ action: string; data: Record<string, unknown>; ip: string | null }>(
			sql`SELECT action, data, ip FROM audit_log WHERE action IN ('accounts.sign_in_failed', 'projects.editor_invited')
				AND data->>'email' = ${`deleted-${person.id}@invalid`}`
		);
		expect(log.rows.map((r) => r.action).sort()).toEqual([
			'accounts.sign_in_failed',
			'projects.editor_invited'
		]);
		// Money records stay whole: the gift and its ledger group remain, pseudonymous.
		const gifts = await db().execute(
			sql`SELECT 1 FROM contributions WHERE contributor_id = ${person.id} AND status = 'succeeded'`
		);
		expect(gifts.rows).toHaveLength(1);
	});
});
