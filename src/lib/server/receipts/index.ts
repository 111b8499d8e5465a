// Tax receipts: eligible issuers, sequential numbers per issuer, PDF with the legally required fields.
export {
	setProjectIssuer,
	requestReceipt,
	requestYearlyReceipt,
	donorSchema,
	issuerSchema
} from './commands/issue-receipts';
export { receiptPdf } from './pdf';
export { listMyReceipts, receiptableGifts, receiptsForMyGifts, projectsWithIssuers } from './queries';
export type { GiftReceipt } from './queries';
