// The ledger: double-entry, append-only; every money figure is derived from it.
export {
	postGroup,
	postGroupIf,
	campaignBalances,
	checkLedger,
	type AccountRef,
	type GroupInput
} from './ledger';
export { projectMoney, PUBLIC_GIFTS_LIMIT, type MoneyTotals, type PublicGift } from './transparency';
