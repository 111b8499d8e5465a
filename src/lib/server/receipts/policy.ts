import { definePolicy } from '../platform/define-policy';
import { can as accounts, type Actor } from '../accounts';

/**
 * The receipts domain's rules:
 * - `receipts.manage_issuers`: administrators declare who issues a project's receipts and whether it may;
 * - `receipts.request`: any signed-in donor asks for receipts (of their own gifts);
 * - `receipt.request_for`: a single receipt is asked for by the gift's own contributor only.
 */
export const receiptsPolicy = definePolicy({
	'receipts.manage_issuers': (actor: Actor | null) => accounts(actor, 'accounts.administer'),
	'receipts.request': (actor: Actor | null) => actor !== null,
	'receipt.request_for': (actor: Actor | null, gift: { contributorId: string }) =>
		actor !== null && gift.contributorId === actor.id
});

/** May the person do `rule`? (see receiptsPolicy) */
export const can = receiptsPolicy.can;
/** The person when `rule` allows it, or `unauthenticated`/`forbidden`. */
export const authorize = receiptsPolicy.authorize;
export type ReceiptsRule = (typeof receiptsPolicy.rules)[number];
