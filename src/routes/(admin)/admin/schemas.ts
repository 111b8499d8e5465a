import { z } from 'zod';

// The small forms of the administration pages (buttons in lists); the domain checks everything again.

const bool = z.enum(['true', 'false'], 'form_error_invalid').transform((v) => v === 'true');

export const moveSchema = z.object({
	id: z.uuid('form_error_invalid'),
	direction: z.enum(['up', 'down'], 'form_error_invalid')
});

export const archiveSchema = z.object({ id: z.uuid('form_error_invalid'), archived: bool });

export const adminRoleSchema = z.object({ value: bool });

export const territoryChoiceSchema = z.object({
	territoryId: z.uuid('admin_users_error_territory')
});

/** A page number from the query string (1 when absent or invalid). */
export function pageParam(url: URL): number {
	const n = Number(url.searchParams.get('page'));
	return Number.isInteger(n) && n > 0 ? n : 1;
}

/** True when `value` looks like an id, so that a bad URL is a 404 and not a database error. */
export function isUuid(value: string): boolean {
	return z.uuid().safeParse(value).success;
}
