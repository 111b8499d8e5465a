// The ledger: double-entry, append-only; every money figure is derived from it.
export { postGroup, campaignBalances, checkLedger, type AccountRef, type GroupInput } from './ledger';
