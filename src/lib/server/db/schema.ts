// Every domain's tables, re-exported for Drizzle and drizzle-kit.
export * from '../territories/schema';
export * from '../accounts/schema';
export * from '../platform/schema';
