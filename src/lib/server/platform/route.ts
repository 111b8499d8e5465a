// The two shapes every route repeated: a form action (parse with field errors, call the domain, turn its
// AppError into the failed form with what was typed) and a load (a domain AppError becomes an error page).
import { error, fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { formValues, type FormValues } from '$lib/shared/platform/forms';
import { t } from '$lib/i18n';
import { AppError, type AppErrorCode } from './errors';
import { failForm, parseForm, type FormFailure, type FormTag } from './forms';

/** The tag of a form on a page with several: fixed, or read from the posted values (the item's id). */
export type TagFor<E> = FormTag | ((values: FormValues, event: E) => FormTag | undefined);

/** A form action's options: its tag, and a check run before the form is read (a role guard). */
export interface ActionOptions<E> {
	tag?: TagFor<E>;
	/** Throws (redirect, error) when the person may not post at all: before any parsing, as a guard. */
	guard?: (event: E) => void;
	/** Where to say that the body was over BODY_SIZE_LIMIT (a file field); the form summary otherwise. */
	tooLarge?: { field: string; messageKey: string };
}

function isOptions<E>(o: TagFor<E> | ActionOptions<E> | undefined): o is ActionOptions<E> {
	return !!o && typeof o === 'object' && !('form' in o);
}

/** What the domain call receives: the parsed data (or the raw values without a schema), the event, the values. */
type Input<S> = S extends z.ZodType ? z.output<S> : FormValues;

/**
 * A form action: reads the post, checks it with `schema` (field errors and the typed values on a 400),
 * calls `run` (with the data, the event, the typed values and the raw FormData for files), and turns a domain AppError into the failed form (status, field errors, values kept, the
 * form's tag). `redirect()` and `error()` thrown by `run` pass through; other errors reach handleError.
 * Without a schema (`null`), `run` gets the posted values as they are. The last argument is the form's
 * tag, or `{ tag, guard }`.
 */
export function formAction<S extends z.ZodType | null, E extends RequestEvent, R>(
	schema: S,
	run: (data: Input<S>, event: E, values: FormValues, form: FormData) => Promise<R> | R,
	options?: TagFor<E> | ActionOptions<E>
): (event: E) => Promise<R | ActionFailure<FormFailure>> {
	const { tag, guard, tooLarge } = isOptions(options) ? options : { tag: options, guard: undefined };
	return async (event) => {
		guard?.(event);
		let form: FormData;
		try {
			form = await event.request.formData();
		} catch (e) {
			// The server refuses to read a body over BODY_SIZE_LIMIT: a clear 413, not an error page.
			const err = e as { status?: number; cause?: { status?: number } };
			if ((err.status ?? err.cause?.status) !== 413) throw e;
			const formTag = typeof tag === 'function' ? tag({}, event) : tag;
			return fail(413, {
				values: {},
				errors: tooLarge ? { [tooLarge.field]: t(tooLarge.messageKey) } : {},
				message: t(tooLarge ? 'form_error_summary' : 'form_error_too_large'),
				...formTag
			});
		}
		// With a schema, parseForm answers a NUL byte beside its field; without one, formValues answers 400.
		const values = formValues(form, { keepNul: schema !== null });
		const formTag = typeof tag === 'function' ? tag(values, event) : tag;
		let data: Input<S>;
		if (schema) {
			const parsed = await parseForm(form, schema, formTag);
			if (!parsed.ok) return parsed.failure;
			data = parsed.data as Input<S>;
		} else {
			data = values as Input<S>;
		}
		try {
			return await run(data, event, values, form);
		} catch (e) {
			return failForm(e, values, formTag);
		}
	};
}

/**
 * Rethrows a domain error as SvelteKit's error page (its status and translated message); only for the
 * given codes when some are named. Anything else is rethrown unchanged.
 */
export function mapLoadError(e: unknown, codes?: readonly AppErrorCode[]): never {
	if (e instanceof AppError && (!codes || codes.includes(e.code))) error(e.status, t(e.messageKey));
	throw e;
}

/** Runs a load's domain call; a domain error becomes the error page (see mapLoadError). */
export async function loadOr<T>(run: () => Promise<T>, codes?: readonly AppErrorCode[]): Promise<T> {
	try {
		return await run();
	} catch (e) {
		mapLoadError(e, codes);
	}
}

/** Runs a load's domain call; an unknown or hidden item becomes the 404 page. */
export function loadOr404<T>(run: () => Promise<T>): Promise<T> {
	return loadOr(run, ['not_found']);
}
