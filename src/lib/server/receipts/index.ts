// Tax receipts: eligible issuers, sequential numbers per issuer, PDF with the legally required fields.
export {
	setProjectIssuer,
	requestReceipt,
	requestYearlyReceipt,
	donorSchema,
	issuerSchema
} from './commands/issue-receipts';
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
