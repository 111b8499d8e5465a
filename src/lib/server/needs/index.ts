// The needs domain: what a project asks for (money, volunteers, material, expertise) and volunteer shifts.
export { addNeed, updateNeed, deleteNeed } from './commands/manage-needs';
export { addShift, updateShift, deleteShift } from './commands/manage-shifts';
// Read with the projects' pages (projects/needs-view.ts), re-exported here under the needs' name.
export { needsForProjects, type NeedView, type ShiftView } from '../projects';
