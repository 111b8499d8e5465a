// Stripe, by role: the SDK client, the PaymentMethod (Checkout), the webhook, pledges at the deadline,
// the donor's confirmation page, and refunds.
export { stripeClient, stripeConfigured } from './client';
export { parseStripeRef, stripeFee, type StripeRef } from './shared';
export { stripeMethod, stripeFlow, AUTHORIZE_WITHIN_DAYS, type StripeFlow } from './method';
export { handleStripeEvent, StripeSignatureError, type StripeEventResult } from './webhook';
export {
	chargePledgeWithStripe,
	releasePledgeWithStripe,
	givePledgeBackWithStripe,
	StripeConfirmationRequired
} from './pledges';
export { awaitsConfirmation, confirmationCheckout } from './confirmation';
