// Payments: one interface for every method (test, offline, Stripe); completion and refunds write the ledger.
export { enabledMethods, methodFor, type PaymentMethod, type NextStep } from './methods';
export { donate } from './commands/donate';
export { completePayment, type PaymentEvent, type PaymentResult } from './commands/complete-payment';
export { markOfflineReceived } from './commands/mark-offline-received';
export { creditGift } from './postings';
export { refundDonation } from './commands/refund';
export { releaseProjectPledges, RELEASE_PLEDGES_JOB } from './commands/release-project-pledges';
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
export { listGiftsForAdmin, needsWithBalance } from './queries';
export { recordPayout, payoutSchema } from './commands/payout';
