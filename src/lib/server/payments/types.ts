// The PaymentMethod interface, apart from its implementations (so that Stripe's needs no cycle).
import type { PaymentMethodId } from '$lib/shared/contributions/money';

/** What a payment method tells the donor to do next after a gift is recorded as pending. */
export type NextStep = { kind: 'redirect'; url: string } | { kind: 'instructions'; reference: string };

/**
 * One interface for every way of paying. The methods only start payments; completion always goes
 * through completePayment(), whatever the provider, so the ledger logic exists once.
 */
export interface PaymentMethod {
	id: PaymentMethodId;
	start(contribution: {
		id: string;
		amountMinor: number;
		tipMinor: number;
		currency: string;
		projectSlug: string;
	}): Promise<NextStep>;
}
