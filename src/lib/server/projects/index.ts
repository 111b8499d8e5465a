// The projects domain: projects, stages, team, lifecycle, search and listings.
export { createProject } from './commands/create-project';
export { slugify } from './rules';
export { updateProject } from './commands/update-project';
export { setOfflineInstructions } from './commands/set-offline-instructions';
export { offlineInstructionsSchema } from '$lib/shared/projects/schemas';
export { setCover, COVER_MAX_BYTES } from './commands/set-cover';
export { addStage } from './commands/add-stage';
export { updateStage } from './commands/update-stage';
export { deleteStage } from './commands/delete-stage';
export { inviteEditor } from './commands/invite-editor';
export { acceptInvitation } from './commands/accept-invitation';
export { removeMember } from './commands/remove-member';
export { cancelProject } from './commands/cancel-project';
export { startProject } from './commands/start-project';
export { completeProject } from './commands/complete-project';
export { moveProject } from './transition';
export { requireAdjustable, isLive } from './rules';
export { forgetInvitationsTo } from './commands/forget-invitations';
export {
	can,
	authorize,
	type ProjectsRule,
	lockProject,
	requireTeam,
	requireOwner,
	teamRole,
	canSeeProject,
	canHandleMoney,
	canManageTeam,
	isPublic,
	isEditable,
	type ProjectRow,
	projectsPolicy
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
	invitationsTo,
	visibleProjectBySlug,
	summarizeCard,
	type ProjectCard,
	type LocalName
} from './queries';
export { needsForProjects, type NeedView, type ShiftView } from './needs-view';
