// The moderation domain: review criteria, submissions and review decisions.
export { DEFAULT_CRITERIA, seedCriteria, listCriteria } from './criteria';
export { submitProject } from './commands/submit-project';
export { reviewProject, type ReviewInput } from './commands/review-project';
export { reviewQueue, reviewMaterial, getReviewPage } from './queries';
export {
	createCriterion,
	updateCriterion,
	setCriterionArchived,
	moveCriterion,
	listAllCriteria,
	getCriterion,
	type Criterion
} from './commands/manage-criteria';
