// Every domain's tables, re-exported for Drizzle and drizzle-kit.
export * from '../territories/schema';
export * from '../accounts/schema';
export * from '../platform/schema';
export * from '../projects/schema';
export * from '../needs/schema';
export * from '../moderation/schema';
export * from '../contributions/schema';
export * from '../ledger/schema';
export * from '../receipts/schema';
