import { db, type Executor } from '../db/client';
import { AppError } from './errors';

/** What every policy knows of the person asking (the accounts domain's Actor has more). */
export interface PolicyActor {
	id: string;
	isAdmin: boolean;
}

/**
 * One named rule: may `actor` (null when signed out) do it to `resource`? It may read the database
 * through `exec` (the command's transaction, so that PGlite does not wait on itself).
 */
export type Rule<A, R> = (actor: A | null, resource: R, exec: Executor) => boolean | Promise<boolean>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule has its own actor and resource types
type AnyRules = Record<string, Rule<any, any>>;

/**
 * Turns a domain's rules into its `can(actor, rule, resource)` face, asked by commands and page loads
 * alike, and `authorize`, which commands call: `unauthenticated` when signed out, `forbidden` when refused.
 * Rules are named once, so a page never re-implements what a command checks.
 */
export function definePolicy<Rules extends AnyRules>(rules: Rules) {
	type Name = keyof Rules & string;
	type A = NonNullable<Parameters<Rules[Name]>[0]> & PolicyActor;
	type ResourceOf<K extends Name> = Parameters<Rules[K]>[1];
	// A rule about no particular resource (administrators…) is asked without one: can(actor, 'x.manage').
	type Rest<K extends Name> =
		undefined extends ResourceOf<K>
			? [resource?: ResourceOf<K>, exec?: Executor]
			: [resource: ResourceOf<K>, exec?: Executor];

	/** True when the rule allows it. */
	async function can<K extends Name>(
		actor: A | null | undefined,
		rule: K,
		...[resource, exec]: Rest<K>
	): Promise<boolean> {
		return Boolean(await rules[rule](actor ?? null, resource, exec ?? db()));
	}

	/** The signed-in person when the rule allows it; otherwise `unauthenticated` or `forbidden`. */
	async function authorize<K extends Name>(
		actor: A | null | undefined,
		rule: K,
		...rest: Rest<K>
	): Promise<A> {
		if (!actor) throw new AppError('unauthenticated', 'error_unauthenticated');
		if (!(await can(actor, rule, ...rest))) throw new AppError('forbidden', 'error_forbidden');
		return actor;
	}

	return { can, authorize, rules: Object.keys(rules) as Name[] };
}
