// The contributions domain: gifts of time, material and expertise (money: see payments and the ledger).
export { signUpForShift } from './commands/sign-up-for-shift';
export { cancelSignup } from './commands/cancel-signup';
export { markAttendance } from './commands/mark-attendance';
export { pledgeMaterial } from './commands/pledge-material';
export { cancelPledge } from './commands/cancel-pledge';
export { markMaterial } from './commands/mark-material';
export { offerExpertise } from './commands/offer-expertise';
export { decideExpertise } from './commands/decide-expertise';
export { cancelOffer } from './commands/cancel-offer';
export { thankContributors, THANKS_PER_DAY } from './commands/thank-contributors';
export {
	contributionFiltersSchema,
	thankSchema,
	type ContributionFilters
} from '$lib/shared/contributions/schemas';
export { can, authorize, type ContributionsRule, contributionsPolicy } from './policy';
export {
	getMyContribution,
	listMyContributions,
	listMyContributionsPage,
	mySignedUpShifts,
	projectContributions,
	projectContributionsPage,
	CONTRIBUTIONS_PAGE_SIZE,
	contributionsCsv,
	type MyContribution,
	type TeamContribution
} from './queries';
export { contributionStatuses, type ContributionStatus } from './schema';
export {
	insertMoneyGift,
	lockContribution,
	setGiftStatus,
	setGiftPaymentRef,
	giftStatusChange,
	type Contribution,
	type NewMoneyGift
} from './gifts';
