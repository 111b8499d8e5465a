import { config } from '../platform/config';
import type { PaymentMethodId } from '$lib/shared/contributions/money';
import { stripeMethod } from './stripe';

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

/** Test method: a fake card page running the same state machine as a real provider. Demo and tests only. */
export const testMethod: PaymentMethod = {
	id: 'test',
	async start(c) {
		return { kind: 'redirect', url: `/pay/test/${c.id}` };
	}
};

/** Offline method: transfer, cheque or cash; the gift stays pending until a treasurer marks it received. */
export const offlineMethod: PaymentMethod = {
	id: 'offline',
	async start(c) {
		return { kind: 'instructions', reference: `PARVIS-${c.id.slice(0, 8).toUpperCase()}` };
	}
};

/** The methods enabled on this instance: test in demo mode or with PARVIS_PAYMENTS_TEST=1; offline always. */
export function enabledMethods(): PaymentMethodId[] {
	const cfg = config();
	const list: PaymentMethodId[] = [];
	const demo = !cfg.DATABASE_URL && cfg.PARVIS_DEMO !== '0';
	if (demo || process.env.PARVIS_PAYMENTS_TEST === '1') list.push('test');
	if (process.env.STRIPE_SECRET_KEY && process.env.STRIPE_WEBHOOK_SECRET) list.push('stripe');
	list.push('offline');
	return list;
}

/** The implementation of an enabled method. */
export function methodFor(id: PaymentMethodId): PaymentMethod | null {
	if (!enabledMethods().includes(id)) return null;
	if (id === 'test') return testMethod;
	if (id === 'offline') return offlineMethod;
	if (id === 'stripe') return stripeMethod;
	return null;
}
