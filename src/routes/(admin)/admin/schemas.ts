import { z } from 'zod';

// The small forms of the administration pages (buttons in lists), defined with their domains' schemas;
// the domain checks everything again.
export {
	moveFormSchema as moveSchema,
	archiveFormSchema as archiveSchema
} from '$lib/shared/platform/ordered-list';
export { adminRoleFormSchema as adminRoleSchema, territoryChoiceSchema } from '$lib/shared/accounts/schemas';

/** A page number from the query string (1 when absent or invalid). */
export function pageParam(url: URL): number {
	const n = Number(url.searchParams.get('page'));
	return Number.isInteger(n) && n > 0 ? n : 1;
}

/** True when `value` looks like an id, so that a bad URL is a 404 and not a database error. */
export function isUuid(value: string): boolean {
	return z.uuid().safeParse(value).success;
}
