import {
	pgTable,
	uuid,
	text,
	bigint,
	bigserial,
	timestamp,
	index,
	uniqueIndex,
	check
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const ledgerAccountKinds = [
	/** Money held for us by a payment provider (or received offline) and not yet paid out. */
	'provider_clearing',
	/** A money need's campaign: what its project has received. */
	'campaign',
	/** Tips to the platform. */
	'platform_tips',
	/** Payment providers' fees. */
	'fees',
	/** Money paid out to a project's carrier. */
	'payouts'
] as const;

/** Accounts: a kind, an optional reference (the need of a campaign) and a currency. */
export const ledgerAccounts = pgTable(
	'ledger_accounts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		kind: text('kind', { enum: ledgerAccountKinds }).notNull(),
		refId: uuid('ref_id'),
		currency: text('currency').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('ledger_accounts_key').on(
			t.kind,
			sql`coalesce(${t.refId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
			t.currency
		)
	]
);

/**
 * A balanced group of entries for one money event (a gift captured, a refund, a payout). Append-only:
 * a correction is a new group. `providerEvent` is unique: one ledger credit per provider payment.
 */
export const ledgerGroups = pgTable(
	'ledger_groups',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		kind: text('kind', { enum: ['gift', 'refund', 'payout', 'fee', 'correction'] }).notNull(),
		contributionId: uuid('contribution_id'),
		providerEvent: text('provider_event'),
		memo: text('memo').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('ledger_groups_provider_event_key').on(t.providerEvent),
		index('ledger_groups_contribution_idx').on(t.contributionId)
	]
);

/** Signed amounts in minor units; each group sums to zero per currency. */
export const ledgerEntries = pgTable(
	'ledger_entries',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		groupId: uuid('group_id')
			.notNull()
			.references(() => ledgerGroups.id),
		accountId: uuid('account_id')
			.notNull()
			.references(() => ledgerAccounts.id),
		amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
		currency: text('currency').notNull()
	},
	(t) => [
		index('ledger_entries_account_idx').on(t.accountId),
		index('ledger_entries_group_idx').on(t.groupId),
		check('ledger_entries_nonzero', sql`${t.amountMinor} <> 0`)
	]
);
