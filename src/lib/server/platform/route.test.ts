// formAction and loadOr: the shapes every route relies on (what a failed form sends back, what passes through).
import { describe, expect, it } from 'vitest';
import {
	isActionFailure,
	isHttpError,
	isRedirect,
	redirect,
	type ActionFailure,
	type RequestEvent
} from '@sveltejs/kit';
import { z } from 'zod';
import { AppError, fieldError } from './errors';
import { formAction, loadOr, loadOr404 } from './route';
import type { FormFailure } from './forms';

/** The failed form an action answered (fails the test on anything else). */
function failure(r: unknown): ActionFailure<FormFailure> {
	expect(isActionFailure(r)).toBe(true);
	return r as ActionFailure<FormFailure>;
}

function post(fields: Record<string, string>): RequestEvent {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.set(k, v);
	return {
		request: new Request('http://parvis.test/x', { method: 'POST', body }),
		params: {},
		locals: {}
	} as unknown as RequestEvent;
}

const schema = z.object({ name: z.string().trim().min(1, 'form_error_required'), password: z.string() });

async function thrown(p: Promise<unknown>): Promise<unknown> {
	return p.then(
		() => null,
		(e) => e
	);
}

describe('formAction', () => {
	it('answers a bad post with 400, the field errors, the typed values (secrets dropped) and the tag', async () => {
		let called = false;
		const action = formAction(schema, () => (called = true), { form: 'add', target: '7' });
		const r = failure(await action(post({ name: ' ', password: 'hunter2', other: 'kept' })));
		expect(called).toBe(false);
		expect(r.status).toBe(400);
		expect(Object.keys(r.data.errors)).toEqual(['name']);
		expect(r.data.values).toEqual({ name: ' ', other: 'kept' });
		expect(r.data).toMatchObject({ form: 'add', target: '7' });
	});

	it('answers a NUL byte beside its field with a schema, and with a 400 without one', async () => {
		const withSchema = formAction(schema, () => ({ saved: true }));
		const r = failure(await withSchema(post({ name: 'Ana\u0000Lis', password: '' })));
		expect(r.status).toBe(400);
		expect(Object.keys(r.data.errors)).toEqual(['name']);
		expect(r.data.values.name).toBe('AnaLis');
		const raw = formAction(null, () => ({ saved: true }));
		const e = await thrown(raw(post({ name: 'Ana\u0000Lis' })));
		expect(isHttpError(e) && e.status).toBe(400);
	});

	it('gives the parsed data to the domain call and returns its answer', async () => {
		const action = formAction(schema, (data) => ({ saved: data.name }));
		expect(await action(post({ name: ' Léa ', password: '' }))).toEqual({ saved: 'Léa' });
	});

	it('turns a domain error into the failed form, with its status and the tag read from the values', async () => {
		const action = formAction(
			null,
			() => {
				throw fieldError('name', 'form_error_required');
			},
			(values) => ({ form: 'row', target: String(values.id) })
		);
		const r = failure(await action(post({ id: 'abc', name: 'x' })));
		expect(r.status).toBe(400);
		expect(Object.keys(r.data.errors)).toEqual(['name']);
		expect(r.data).toMatchObject({ values: { id: 'abc', name: 'x' }, form: 'row', target: 'abc' });
		const conflict = failure(
			await formAction(null, () => {
				throw new AppError('conflict', 'error_forbidden');
			})(post({}))
		);
		expect(conflict.status).toBe(409);
	});

	it('lets redirect() through, makes not_found the 404 page, and rethrows other errors', async () => {
		expect(isRedirect(await thrown(formAction(null, () => redirect(303, '/done'))(post({}))))).toBe(true);
		const missing = await thrown(
			formAction(null, () => {
				throw new AppError('not_found', 'error_not_found');
			})(post({}))
		);
		expect(isHttpError(missing) && missing.status).toBe(404);
		const bug = new Error('bug');
		expect(
			await thrown(
				formAction(null, () => {
					throw bug;
				})(post({}))
			)
		).toBe(bug);
	});

	it('runs the guard before reading the form', async () => {
		const event = post({ name: '' });
		const r = await thrown(
			formAction(schema, () => null, {
				guard: () => {
					throw redirect(303, '/signin');
				}
			})(event)
		);
		expect(isRedirect(r)).toBe(true);
		expect(event.request.bodyUsed).toBe(false);
	});
});

describe('loadOr', () => {
	it('maps a domain error to the error page with its status, only for the codes named', async () => {
		const forbidden = () => Promise.reject(new AppError('forbidden', 'error_forbidden'));
		const e = await thrown(loadOr(forbidden));
		expect(isHttpError(e) && e.status).toBe(403);
		expect(await thrown(loadOr404(forbidden))).toBeInstanceOf(AppError);
		const gone = await thrown(loadOr404(() => Promise.reject(new AppError('not_found', 'error_not_found'))));
		expect(isHttpError(gone) && gone.status).toBe(404);
		expect(await loadOr404(async () => 42)).toBe(42);
	});
});
