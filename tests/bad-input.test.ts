// Bad input gets a clear 4xx answer, never a 500, on PGlite and on PostgreSQL alike: NUL bytes, impossible
// dates, prototype keys, damaged images; redirects stay on the site; the log never carries query parameters.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { Cookies } from '@sveltejs/kit';
import { useTestDatabase } from './db';
import { buildUser, toActor } from './factories/accounts';
import { buildTerritory } from './factories/territories';
import { buildProject } from './factories/projects';
import { db } from '$lib/server/db/client';
import { profileSchema } from '$lib/shared/accounts/schemas';
import { stageSchema, projectSchema } from '$lib/shared/projects/schemas';
import { pledgeMaterialSchema } from '$lib/shared/contributions/schemas';
import { formValues, isCalendarDate, own } from '$lib/shared/platform/forms';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { parseInput } from '$lib/server/platform/validate';
import { AppError, describeError } from '$lib/server/platform/errors';
import { safeReturnTo, setLocaleCookie } from '$lib/server/platform/http';
import { cancelProject, setCover } from '$lib/server/projects';
import { t } from '$lib/i18n';

useTestDatabase();

function form(fields: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) data.append(k, x);
	return data;
}

describe('return addresses after signing in', () => {
	it('keeps same-origin paths', () => {
		expect(safeReturnTo('/projects?q=v%C3%A9lo#needs')).toBe('/projects?q=v%C3%A9lo#needs');
		expect(safeReturnTo('/me/projects')).toBe('/me/projects');
		expect(safeReturnTo('/projects?q=vélo')).toBe('/projects?q=v%C3%A9lo');
	});

	it('refuses control characters, backslashes and other sites, decoded or not', () => {
		for (const bad of [
			'/\t/evil.example', // what /signin?returnTo=/%09/evil.example gives: Chromium drops the tab
			'/%09/evil.example',
			'/\n/evil.example',
			'/%0A',
			'/%0D%0ASet-Cookie:x=1',
			'/\r',
			'//evil.example',
			'/\\evil.example',
			'/%5Cevil.example',
			'/%2F/evil.example',
			'/%00',
			'https://evil.example/',
			'evil.example',
			'/%E0%A4%A',
			''
		])
			expect(safeReturnTo(bad), JSON.stringify(bad)).toBe('/me');
	});
});

describe('the locale cookie', () => {
	it('is Secure over HTTPS only', () => {
		const set: Record<string, unknown>[] = [];
		const cookies = {
			set: (_n: string, _v: string, o: Record<string, unknown>) => set.push(o)
		} as unknown as Cookies;
		setLocaleCookie(cookies, 'fr', new URL('http://192.168.1.20:3000/'));
		setLocaleCookie(cookies, 'fr', new URL('https://parvis.example/'));
		expect(set.map((o) => o.secure)).toEqual([false, true]);
	});
});

describe('dates', () => {
	it('are real calendar dates', () => {
		expect(isCalendarDate('2024-02-29')).toBe(true);
		expect(isCalendarDate('2024-02-30')).toBe(false);
		expect(isCalendarDate('2023-02-29')).toBe(false);
		expect(isCalendarDate('2024-04-31')).toBe(false);
		expect(isCalendarDate('2024-13-01')).toBe(false);
		expect(isCalendarDate('2024-00-10')).toBe(false);
		expect(isCalendarDate('0000-01-01')).toBe(false);
		expect(isCalendarDate('2024-1-01')).toBe(false);
	});

	it('are checked by every schema that takes one', () => {
		const stage = stageSchema.safeParse({ name: 'Chantier', startsOn: '2024-02-30', endsOn: '' });
		expect(stage.success).toBe(false);
		expect(stage.error!.issues[0]).toMatchObject({ path: ['startsOn'], message: 'form_error_date' });
		const pledge = pledgeMaterialSchema.safeParse({
			quantity: '1',
			materialMode: 'lend',
			returnBy: '2026-06-31'
		});
		expect(pledge.error!.issues.map((i) => i.message)).toContain('form_error_date');
		expect(stageSchema.parse({ name: 'Chantier', startsOn: '2024-02-29', endsOn: '' }).startsOn).toBe(
			'2024-02-29'
		);
	});
});

describe('prototype keys in forms', () => {
	it('are plain fields, never Object.prototype', () => {
		const data = form({ toString: 'a', constructor: ['b', 'c'], kind: 'toString' });
		data.append('__proto__', 'd');
		const values = formValues(data);
		expect(Object.getPrototypeOf(values)).toBeNull();
		expect(values.toString).toBe('a');
		expect(values.constructor).toEqual(['b', 'c']);
		expect(Object.hasOwn(values, '__proto__')).toBe(true);
		expect(own({ a: 1 } as Record<string, number>, 'toString')).toBeUndefined();
		expect(own({ a: 1 } as Record<string, number>, 'a')).toBe(1);
	});

	it('an enum field given "toString" or "__proto__" is a field error', async () => {
		for (const kind of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
			const need = await parseForm(
				form({ legalForm: kind, title: 'Titre', territoryId: crypto.randomUUID() }),
				projectSchema
			);
			expect(need.ok).toBe(false);
			if (!need.ok) expect(Object.keys(need.failure.data.errors)).toContain('legalForm');
		}
	});
});

describe('NUL bytes', () => {
	it('are a field error in every form read by parseForm, with what was typed kept', async () => {
		const parsed = await parseForm(
			form({ displayName: 'Ana\u0000', bio: 'ok', locale: 'fr', homeTerritoryId: '', skills: '' }),
			profileSchema
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.failure.status).toBe(400);
		expect(Object.keys(parsed.failure.data.errors)).toEqual(['displayName']);
		expect(parsed.failure.data.errors.displayName).toMatch(/NUL/);
		expect(parsed.failure.data.values.displayName).toBe('Ana');
		expect(parsed.failure.data.values.bio).toBe('ok');
	});

	it('are a 400 for a route that reads the form without a schema', () => {
		expect(() => formValues(form({ message: 'a\u0000b' }))).toThrow(expect.objectContaining({ status: 400 }));
	});

	it('are refused by parseInput (the API and the commands) with the field named', () => {
		let caught: unknown;
		try {
			parseInput(profileSchema, { displayName: 'x', bio: 'b\u0000', locale: 'fr', homeTerritoryId: '' });
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(AppError);
		expect((caught as AppError).fields).toEqual({ bio: 'form_error_nul' });
	});

	it('a database refusal of a value (data exception) is a 400 form answer, not a 500', async () => {
		const e = await db()
			.execute(sql`SELECT ${'not-a-uuid'}::uuid`)
			.then(
				() => null,
				(err: unknown) => err
			);
		expect(e).toBeTruthy();
		const failure = failForm(e, { id: 'not-a-uuid' });
		expect(failure.status).toBe(400);
		expect(() => failForm(new Error('boom'), {})).toThrow('boom');
	});

	it('a display name with NUL never reaches the database, on either database', async () => {
		const { user } = await buildUser({ email: 'nul@example.org' });
		const parsed = await parseForm(
			form({ displayName: 'A\u0000na', bio: '', locale: 'fr', homeTerritoryId: '', skills: '' }),
			profileSchema
		);
		expect(parsed.ok).toBe(false);
		// PostgreSQL itself would refuse it (PGlite too): the check above is what keeps it a 400.
		const stored = await db()
			.execute(sql`SELECT ${'A\u0000na'}::text AS v`)
			.then(
				() => 'accepted',
				() => 'refused'
			);
		expect(stored).toBe('refused');
		expect(user.id).toBeTruthy();
	});
});

describe('a command refusing its own input', () => {
	it('is a 400 form answer (a reason of 30,000 characters cancelled nothing and crashed)', async () => {
		const { user } = await buildUser({ email: 'reason@example.org' });
		const owner = toActor(user);
		const project = await buildProject(owner, (await buildTerritory()).id);
		const e = await cancelProject(owner, project.id, 'x'.repeat(30_000)).then(
			() => null,
			(x: unknown) => x
		);
		expect(e).toBeTruthy();
		const failure = failForm(e, { reason: 'x'.repeat(30_000) }, { form: 'cancel' });
		expect(failure.status).toBe(400);
		// The command validates with parseInput: the message stands next to the field.
		expect(failure.data.errors.reason).toBe(t('form_error_too_long'));
	});
});

describe('the log', () => {
	it('describes a database error without its parameters', async () => {
		const secret = '$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0$aGFzaA';
		const e = await db()
			.execute(sql`SELECT ${secret}::uuid`)
			.then(
				() => null,
				(err: unknown) => err
			);
		const line = describeError(e);
		expect(line).toMatch(/22P02/);
		expect(line).not.toContain(secret);
		expect(line).not.toContain('argon2');
	});
});

describe('cover photos', () => {
	it('a truncated JPEG is a field error, the same on both databases', async () => {
		const { user } = await buildUser({ email: 'cover@example.org' });
		const owner = toActor(user);
		const territory = await buildTerritory();
		const project = await buildProject(owner, territory.id);
		const jpeg = await sharp({
			create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 120, b: 40 } }
		})
			.jpeg()
			.toBuffer();
		const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
		const err = await setCover(
			owner,
			project.id,
			new File([new Uint8Array(truncated)], 'photo.jpg'),
			'Un jardin'
		).then(
			() => null,
			(x: unknown) => x
		);
		expect(err).toBeInstanceOf(AppError);
		expect((err as AppError).fields.cover).toBe('projects_error_cover_unreadable');
		// The whole image is accepted.
		const key = await setCover(owner, project.id, new File([new Uint8Array(jpeg)], 'photo.jpg'), 'Un jardin');
		expect(key).toMatch(/\.webp$/);
	});
});
