import { config } from '../platform/config';
import type { PaymentMethodId } from '$lib/shared/contributions/money';
import { stripeMethod } from './stripe/method';
import type { PaymentMethod } from './types';

export type { PaymentMethod, NextStep } from './types';

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
