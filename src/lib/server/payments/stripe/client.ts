// The Stripe SDK client and its configuration (secrets and, for tests, the stand-in API's address).
import Stripe from 'stripe';

/** True when both Stripe secrets are set (the method is then offered and the webhook answers). */
export function stripeConfigured(): boolean {
	return Boolean(process.env.STRIPE_SECRET_KEY && process.env.STRIPE_WEBHOOK_SECRET);
}

let cached: { key: string; client: Stripe } | undefined;

/**
 * The Stripe client, built from the environment: STRIPE_SECRET_KEY, and for tests STRIPE_API_HOST,
 * STRIPE_API_PORT and STRIPE_API_PROTOCOL, which point the SDK at a local stand-in for Stripe's API.
 */
export function stripeClient(): Stripe {
	const secret = process.env.STRIPE_SECRET_KEY;
	if (!secret) throw new Error('Stripe is not configured (STRIPE_SECRET_KEY is not set)');
	const host = process.env.STRIPE_API_HOST || undefined;
	const port = process.env.STRIPE_API_PORT || undefined;
	const rawProtocol = process.env.STRIPE_API_PROTOCOL || undefined;
	if (rawProtocol && rawProtocol !== 'http' && rawProtocol !== 'https')
		throw new Error('STRIPE_API_PROTOCOL must be http or https');
	const protocol = rawProtocol as 'http' | 'https' | undefined;
	const key = [secret, host, port, protocol].join('|');
	if (cached?.key !== key) {
		cached = {
			key,
			client: new Stripe(secret, {
				host,
				port,
				protocol,
				maxNetworkRetries: 2,
				telemetry: false,
				appInfo: { name: 'Parvis' }
			})
		};
	}
	return cached.client;
}
