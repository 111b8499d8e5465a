// The moderation domain: review criteria, submissions and review decisions.
export {
	DEFAULT_CRITERIA,
	seedCriteria,
	listCriteria,
	listAllCriteria,
	getCriterion,
	type Criterion
} from './criteria';
export { submitProject } from './commands/submit-project';
export { reviewProject, type ReviewInput } from './commands/review-project';
export { reviewQueue, reviewMaterial, getReviewPage } from './queries';
export { createCriterion } from './commands/create-criterion';
export { updateCriterion } from './commands/update-criterion';
export { setCriterionArchived } from './commands/set-criterion-archived';
export { moveCriterion } from './commands/move-criterion';
export { can, authorize, type ModerationRule, moderationPolicy } from './policy';
