import type { RequestEvent } from '@sveltejs/kit';
import type { Actor, RequestContext } from '$lib/server/accounts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { requestContext } from '$lib/server/platform/http';
import { adminOnly } from '../guard';
import { archiveSchema, moveSchema } from './schemas';

type Move = (
	actor: Actor | null,
	id: string,
	direction: 'up' | 'down',
	ctx: RequestContext
) => Promise<unknown>;
type Archive = (actor: Actor | null, id: string, archived: boolean, ctx: RequestContext) => Promise<unknown>;

/**
 * The `move` and `archive` actions of an ordered list of the admin area (territories, themes, criteria),
 * posted by RowActions.svelte; the domain command of each list does the work and checks the role again.
 */
export function orderedListActions(move: Move, setArchived: Archive) {
	return {
		move: async (event: RequestEvent) => {
			const actor = adminOnly(event);
			const parsed = await parseForm(event.request, moveSchema);
			if (!parsed.ok) return parsed.failure;
			try {
				await move(actor, parsed.data.id, parsed.data.direction, requestContext(event));
			} catch (e) {
				return failForm(e, parsed.values);
			}
			return { done: 'moved' as const, id: parsed.data.id };
		},
		archive: async (event: RequestEvent) => {
			const actor = adminOnly(event);
			const parsed = await parseForm(event.request, archiveSchema);
			if (!parsed.ok) return parsed.failure;
			try {
				await setArchived(actor, parsed.data.id, parsed.data.archived, requestContext(event));
			} catch (e) {
				return failForm(e, parsed.values);
			}
			return {
				done: parsed.data.archived ? ('archived' as const) : ('restored' as const),
				id: parsed.data.id
			};
		}
	};
}
