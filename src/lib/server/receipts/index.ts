// Tax receipts: eligible issuers, sequential numbers per issuer, PDF with the legally required fields.
export { setProjectIssuer } from './commands/set-project-issuer';
export { requestReceipt } from './commands/request-receipt';
export { requestYearlyReceipt } from './commands/request-yearly-receipt';
export { donorSchema, issuerSchema } from '$lib/shared/receipts/schemas';
export { can, authorize, type ReceiptsRule, receiptsPolicy } from './policy';
export { receiptPdf } from './pdf';
export {
	listMyReceipts,
	receiptableGifts,
	receiptsForMyGifts,
	projectsWithIssuers,
	receiptsForExport
} from './queries';
export { eraseExpiredDonorDetails, RECEIPT_RETENTION_YEARS } from './commands/expire-donor-details';
export type { GiftReceipt } from './queries';
