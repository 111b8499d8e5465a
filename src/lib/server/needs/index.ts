// The needs domain: what a project asks for (money, volunteers, material, expertise) and volunteer shifts.
export { addNeed } from './commands/add-need';
export { updateNeed } from './commands/update-need';
export { deleteNeed } from './commands/delete-need';
export { addShift } from './commands/add-shift';
export { updateShift } from './commands/update-shift';
export { deleteShift } from './commands/delete-shift';
export { closeCampaign } from './commands/close-campaign';
export { claimShiftPlace, releaseShiftPlace, claimFulfilment, releaseFulfilment } from './capacity';
export { can, authorize, type NeedsRule, needsPolicy } from './policy';
// Read with the projects' pages (projects/needs-view.ts), re-exported here under the needs' name.
export { needsForProjects, type NeedView, type ShiftView } from '../projects';
