import { sql } from 'drizzle-orm';
import {
	pgTable,
	uuid,
	text,
	integer,
	bigint,
	boolean,
	date,
	timestamp,
	index,
	uniqueIndex,
	check
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema';
import { projects } from '../projects/schema';
import { needs, shifts } from '../needs/schema';
import { needKinds, materialModes } from '$lib/shared/projects/enums';
import { contributionStatuses, type ContributionStatus } from '$lib/shared/contributions/enums';

// The statuses are browser-safe (the team's filters use them): defined in shared/, re-exported here.
export { contributionStatuses, type ContributionStatus };

/**
 * A gift of money, time, material or expertise to a need. One table for the four kinds; the
 * measure columns of the other kinds stay null. Money amounts are never the truth: the ledger is.
 */
export const contributions = pgTable(
	'contributions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		projectId: uuid('project_id')
			.notNull()
			.references(() => projects.id),
		needId: uuid('need_id')
			.notNull()
			.references(() => needs.id),
		kind: text('kind', { enum: needKinds }).notNull(),
		contributorId: uuid('contributor_id')
			.notNull()
			.references(() => users.id),
		status: text('status', { enum: contributionStatuses }).notNull(),
		// volunteers
		shiftId: uuid('shift_id').references(() => shifts.id),
		hoursCounted: integer('hours_counted'),
		// material
		quantity: integer('quantity'),
		materialMode: text('material_mode', { enum: materialModes }),
		returnBy: date('return_by'),
		// expertise
		hours: integer('hours'),
		// money
		amountMinor: bigint('amount_minor', { mode: 'number' }),
		tipMinor: bigint('tip_minor', { mode: 'number' }),
		currency: text('currency'),
		paymentMethod: text('payment_method'),
		paymentRef: text('payment_ref'),
		anonymous: boolean('anonymous').notNull().default(false),
		message: text('message').notNull().default(''),
		/** A form's idempotency key: a double click or a re-submitted form never makes two contributions. */
		idempotencyKey: text('idempotency_key'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('contributions_project_idx').on(t.projectId, t.createdAt),
		index('contributions_need_idx').on(t.needId),
		index('contributions_contributor_idx').on(t.contributorId, t.createdAt),
		uniqueIndex('contributions_idempotency_key').on(t.contributorId, t.idempotencyKey),
		// One live sign-up per person and shift.
		uniqueIndex('contributions_one_signup_per_shift')
			.on(t.shiftId, t.contributorId)
			.where(sql`${t.kind} = 'volunteers' AND ${t.status} IN ('signed_up', 'attended', 'absent')`),
		check('contributions_quantity_positive', sql`${t.quantity} IS NULL OR ${t.quantity} > 0`),
		check('contributions_hours_positive', sql`${t.hours} IS NULL OR ${t.hours} > 0`),
		check('contributions_amount_positive', sql`${t.amountMinor} IS NULL OR ${t.amountMinor} > 0`)
	]
);
