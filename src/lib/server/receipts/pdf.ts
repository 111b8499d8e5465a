import PDFDocument from 'pdfkit';
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { requireActor, type Actor } from '../accounts';
import { amountInWords } from '$lib/shared/contributions/words';
import { t, formatMoney, formatDate, type Locale } from '$lib/i18n';
import { receiptIssuers, taxReceipts } from './schema';

/** Renders a receipt as PDF (pdfkit) with the legally required fields; only its donor (or an admin) may. */
export async function receiptPdf(
	actor: Actor | null,
	receiptId: string,
	locale: Locale
): Promise<{ filename: string; pdf: Buffer }> {
	const me = requireActor(actor);
	const [row] = await db()
		.select({ r: taxReceipts, issuer: receiptIssuers })
		.from(taxReceipts)
		.innerJoin(receiptIssuers, eq(receiptIssuers.id, taxReceipts.issuerId))
		.where(eq(taxReceipts.id, receiptId));
	if (!row || (row.r.donorId !== me.id && !me.isAdmin)) throw new AppError('not_found', 'error_not_found');
	const { r, issuer } = row;
	const fmt = issuer.country === 'CA' ? `${locale}-CA` : locale === 'fr' ? 'fr-FR' : 'en-GB';
	const number = `${r.year}-${String(r.number).padStart(5, '0')}`;
	const doc = new PDFDocument({
		size: 'A4',
		margin: 56,
		info: { Title: t('receipts_pdf_title', { number }, locale), Author: issuer.name }
	});
	const chunks: Buffer[] = [];
	doc.on('data', (c: Buffer) => chunks.push(c));
	const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));

	doc
		.fontSize(18)
		.text(t(issuer.country === 'CA' ? 'receipts_pdf_heading_ca' : 'receipts_pdf_heading_fr', {}, locale));
	doc
		.moveDown(0.3)
		.fontSize(11)
		.text(t('receipts_pdf_number', { number }, locale));
	doc.moveDown();
	doc.fontSize(12).text(t('receipts_pdf_issuer', {}, locale), { underline: true });
	doc.fontSize(11).text(issuer.name).text(issuer.address).text(issuer.legalStatus);
	if (issuer.registrationNumber)
		doc.text(t('receipts_pdf_registration', { number: issuer.registrationNumber }, locale));
	doc.moveDown();
	doc.fontSize(12).text(t('receipts_pdf_donor', {}, locale), { underline: true });
	doc.fontSize(11).text(r.donorName).text(r.donorAddress);
	doc.moveDown();
	doc.fontSize(12).text(t('receipts_pdf_gift', {}, locale), { underline: true });
	doc
		.fontSize(11)
		.text(t('receipts_pdf_amount', { amount: formatMoney(r.amountMinor, r.currency, fmt) }, locale))
		.text(t('receipts_pdf_amount_words', { words: amountInWords(r.amountMinor, r.currency, locale) }, locale))
		.text(
			r.kind === 'yearly'
				? t('receipts_pdf_year', { year: String(r.year) }, locale)
				: t('receipts_pdf_date', { date: formatDate(`${r.paymentDate}T12:00:00Z`, fmt) }, locale)
		)
		.text(t('receipts_pdf_method', { method: t(`receipts_method_${r.paymentMethod}`, {}, locale) }, locale))
		.text(t('receipts_pdf_nature', {}, locale));
	doc.moveDown();
	doc
		.fontSize(10)
		.text(t(issuer.country === 'CA' ? 'receipts_pdf_legal_ca' : 'receipts_pdf_legal_fr', {}, locale), {
			align: 'justify'
		});
	doc.moveDown();
	doc.fontSize(10).text(t('receipts_pdf_issued', { date: formatDate(r.issuedAt, fmt) }, locale));
	doc.end();
	await done;
	return { filename: `recu-${number}.pdf`, pdf: Buffer.concat(chunks) };
}
