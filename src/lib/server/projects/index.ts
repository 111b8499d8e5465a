// The projects domain: projects, stages, team, lifecycle, search and listings.
export { createProject, slugify } from './commands/create-project';
export { updateProject } from './commands/update-project';
export { setOfflineInstructions, offlineInstructionsSchema } from './commands/set-offline-instructions';
export { setCover, COVER_MAX_BYTES } from './commands/set-cover';
export { addStage, updateStage, deleteStage } from './commands/stages';
export { inviteEditor, acceptInvitation, removeMember } from './commands/team';
export { cancelProject, startProject, completeProject } from './commands/lifecycle';
export { moveProject } from './commands/transition';
export { requireAdjustable, isLive } from './commands/adjustable';
export {
	lockProject,
	requireTeam,
	requireOwner,
	teamRole,
	canSeeProject,
	canHandleMoney,
	canManageTeam,
	isPublic,
	isEditable,
	type ProjectRow
} from './policy';
export { refreshSearch } from './search';
export {
	searchProjects,
	mapProjects,
	getProjectPage,
	getProjectForTeam,
	projectHistory,
	listMyProjects,
	projectsInTerritory,
	projectIdBySlug,
	visibleProjectBySlug,
	summarizeCard,
	type ProjectCard,
	type LocalName
} from './queries';
export { needsForProjects, type NeedView, type ShiftView } from './needs-view';
