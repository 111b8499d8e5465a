import { definePolicy } from '../platform/define-policy';
import { can as accounts, type Actor } from '../accounts';

/**
 * The territories domain's rules: `territories.manage` (create, edit, order, archive territories) and
 * `themes.manage` (the same for themes) belong to administrators.
 */
export const territoriesPolicy = definePolicy({
	'territories.manage': (actor: Actor | null) => accounts(actor, 'accounts.administer'),
	'themes.manage': (actor: Actor | null) => accounts(actor, 'accounts.administer')
});

/** May the person do `rule`? (see territoriesPolicy) */
export const can = territoriesPolicy.can;
/** The person when `rule` allows it, or `unauthenticated`/`forbidden`. */
export const authorize = territoriesPolicy.authorize;
export type TerritoriesRule = (typeof territoriesPolicy.rules)[number];
