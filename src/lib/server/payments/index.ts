// Payments: one interface for every method (test, offline, Stripe); completion and refunds write the ledger.
export { enabledMethods, methodFor, type PaymentMethod, type NextStep } from './methods';
export { donate } from './commands/donate';
export {
	completePayment,
	markOfflineReceived,
	creditGift,
	type PaymentEvent
} from './commands/complete-payment';
export { refundDonation } from './commands/refund';
export { closeDueCampaigns } from './jobs/close-campaigns';
export {
	stripeMethod,
	stripeConfigured,
	handleStripeEvent,
	chargePledgeWithStripe,
	releasePledgeWithStripe,
	parseStripeRef,
	awaitsConfirmation,
	confirmationCheckout,
	StripeSignatureError,
	StripeConfirmationRequired
} from './stripe';
export { listGiftsForAdmin } from './queries';
export { recordPayout, needsWithBalance, payoutSchema } from './commands/payout';
