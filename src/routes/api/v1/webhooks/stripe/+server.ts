import { handleStripeEvent, stripeConfigured, StripeSignatureError } from '$lib/server/payments';
import type { RequestHandler } from './$types';

function json(status: number, body: unknown): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
	});
}

/**
 * Stripe's webhook. The signature is checked on the raw body (so it is read as text, never parsed
 * first); the origin check in hooks.server.ts skips /api/v1/webhooks/*. A 200 tells Stripe to stop
 * retrying (refused amounts included: they are logged and audited); a 500 makes it retry later.
 */
export const POST: RequestHandler = async ({ request }) => {
	if (!stripeConfigured()) return json(404, { error: { code: 'not_found', message: 'Not found' } });
	const signature = request.headers.get('stripe-signature');
	if (!signature)
		return json(400, { error: { code: 'invalid_signature', message: 'Missing Stripe-Signature' } });
	const body = await request.text();
	try {
		await handleStripeEvent(body, signature);
	} catch (e) {
		if (e instanceof StripeSignatureError)
			return json(400, { error: { code: 'invalid_signature', message: 'Invalid signature' } });
		console.error('[stripe] webhook failed; Stripe will retry', e);
		return json(500, { error: { code: 'internal_error', message: 'Internal error' } });
	}
	return json(200, { received: true });
};
