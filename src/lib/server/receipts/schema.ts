import {
	pgTable,
	uuid,
	text,
	integer,
	bigint,
	boolean,
	timestamp,
	uniqueIndex,
	index,
	date
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../accounts/schema';
import { projects } from '../projects/schema';

/** An organization that may issue tax receipts (France: art. 200 CGI; Québec/Canada: registered charity). */
export const receiptIssuers = pgTable('receipt_issuers', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	address: text('address').notNull(),
	/** Legal status as printed on receipts, e.g. "Association d'intérêt général (loi 1901)". */
	legalStatus: text('legal_status').notNull(),
	country: text('country', { enum: ['FR', 'CA'] }).notNull(),
	registrationNumber: text('registration_number').notNull().default(''),
	eligible: boolean('eligible').notNull().default(false),
	/** The next receipt number; taken with one atomic UPDATE … RETURNING (sequential, no duplicates). */
	nextNumber: integer('next_number').notNull().default(1),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** Which issuer gives receipts for a project's gifts. */
export const projectReceiptIssuers = pgTable('project_receipt_issuers', {
	projectId: uuid('project_id')
		.primaryKey()
		.references(() => projects.id, { onDelete: 'cascade' }),
	issuerId: uuid('issuer_id')
		.notNull()
		.references(() => receiptIssuers.id)
});

/** Issued receipts: one per gift, or one per donor, issuer and year. Kept even if the donor leaves. */
export const taxReceipts = pgTable(
	'tax_receipts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		issuerId: uuid('issuer_id')
			.notNull()
			.references(() => receiptIssuers.id),
		number: integer('number').notNull(),
		kind: text('kind', { enum: ['single', 'yearly'] }).notNull(),
		year: integer('year').notNull(),
		donorId: uuid('donor_id')
			.notNull()
			.references(() => users.id),
		contributionId: uuid('contribution_id'),
		donorName: text('donor_name').notNull(),
		donorAddress: text('donor_address').notNull(),
		amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
		currency: text('currency').notNull(),
		paymentDate: date('payment_date').notNull(),
		paymentMethod: text('payment_method').notNull(),
		issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('tax_receipts_number_key').on(t.issuerId, t.number),
		uniqueIndex('tax_receipts_single_key')
			.on(t.contributionId)
			.where(sql`${t.kind} = 'single'`),
		uniqueIndex('tax_receipts_yearly_key')
			.on(t.issuerId, t.donorId, t.year)
			.where(sql`${t.kind} = 'yearly'`),
		index('tax_receipts_donor_idx').on(t.donorId)
	]
);
