// The contributions domain: gifts of time, material and expertise (money: see payments and the ledger).
export {
	signUpForShift,
	cancelSignup,
	markAttendance,
	pledgeMaterial,
	cancelPledge,
	markMaterial,
	offerExpertise,
	decideExpertise,
	cancelOffer
} from './commands/time-and-things';
export {
	projectContributions,
	contributionsCsv,
	thankContributors,
	contributionFiltersSchema,
	thankSchema,
	THANKS_PER_DAY,
	type ContributionFilters,
	type TeamContribution
} from './team';
export { getMyContribution, listMyContributions, mySignedUpShifts, type MyContribution } from './queries';
export { contributionStatuses, type ContributionStatus } from './schema';
export {
	insertMoneyGift,
	lockContribution,
	setGiftStatus,
	setGiftPaymentRef,
	type Contribution,
	type NewMoneyGift
} from './gifts';
