import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import type { Actor, RequestContext } from '$lib/server/accounts';
import { formAction } from '$lib/server/platform/route';
import { requestContext } from '$lib/server/platform/http';
import { t } from '$lib/i18n';
import { adminOnly } from '../guard';
import { archiveSchema, isUuid, moveSchema } from './schemas';

type Move = (
	actor: Actor | null,
	id: string,
	direction: 'up' | 'down',
	ctx: RequestContext
) => Promise<unknown>;
type Archive = (actor: Actor | null, id: string, archived: boolean, ctx: RequestContext) => Promise<unknown>;
type Create<T> = (actor: Actor | null, input: T, ctx: RequestContext) => Promise<unknown>;
type Update<T> = (actor: Actor | null, id: string, input: T, ctx: RequestContext) => Promise<unknown>;

/** Administrators only, checked before the form is read (the commands check the role again). */
const admins = { guard: (event: RequestEvent) => void adminOnly(event) };

/**
 * The `move` and `archive` actions of an ordered list of the admin area (territories, themes, criteria),
 * posted by RowActions.svelte; the domain command of each list does the work and checks the role again.
 */
export function orderedListActions(move: Move, setArchived: Archive) {
	return {
		move: formAction(
			moveSchema,
			async ({ id, direction }, event: RequestEvent) => {
				await move(adminOnly(event), id, direction, requestContext(event));
				return { done: 'moved' as const, id };
			},
			admins
		),
		archive: formAction(
			archiveSchema,
			async ({ id, archived }, event: RequestEvent) => {
				await setArchived(adminOnly(event), id, archived, requestContext(event));
				return { done: archived ? ('archived' as const) : ('restored' as const), id };
			},
			admins
		)
	};
}

/** The `new` page's action of a list: creates the item, then back to the list, which says so. */
export function createItemAction<S extends z.ZodType>(schema: S, create: Create<z.output<S>>, list: string) {
	return formAction(
		schema,
		async (data, event: RequestEvent) => {
			await create(adminOnly(event), data as z.output<S>, requestContext(event));
			redirect(303, `${list}?created=1`);
		},
		admins
	);
}

/** The `[id]` page's action of a list: saves the item (an id that is no uuid is a 404). */
export function updateItemAction<S extends z.ZodType>(schema: S, update: Update<z.output<S>>) {
	return formAction(
		schema,
		async (data, event: RequestEvent) => {
			await update(adminOnly(event), String(event.params.id), data as z.output<S>, requestContext(event));
			return { saved: true };
		},
		{
			guard: (event: RequestEvent) => {
				adminOnly(event);
				if (!isUuid(String(event.params.id))) error(404, t('error_not_found'));
			}
		}
	);
}
