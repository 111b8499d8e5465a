// The accounts domain's public surface: other domains and routes import only this file.
export type { Actor } from './actor';
export type { RequestContext } from './context';
export {
	requireActor,
	requireAdmin,
	requireModerator,
	canModerateTerritory,
	can,
	authorize,
	type AccountsRule,
	accountsPolicy
} from './policy';
export { validateSession, deleteSession, SESSION_COOKIE, SESSION_ABSOLUTE_MS } from './sessions';
export { SESSION_IDLE_MS, purgeEndedSessions } from './sessions';
export { setSessionCookie } from './session-cookie';
export { listAudit } from './audit-log';
export { getMyProfile, exportMyData, listUsers, getUserForAdmin, countAdmins } from './queries';
export { countModerators } from './queries';
export { signUp } from './commands/sign-up';
export { resendVerification } from './commands/resend-verification';
export { verifyEmail } from './commands/verify-email';
export { signIn, SIGN_IN_LIMITS } from './commands/sign-in';
export { requestPasswordReset } from './commands/request-password-reset';
export { resetPassword } from './commands/reset-password';
export { changePassword } from './commands/change-password';
export { requestEmailChange } from './commands/change-email';
export { updateProfile } from './commands/update-profile';
export { deleteAccount } from './commands/delete-account';
export { grantModerator } from './commands/grant-moderator';
export { revokeModerator } from './commands/revoke-moderator';
export { setAdministrator } from './commands/set-administrator';
export { issueSetupToken } from './commands/issue-setup-token';
export { isValidSetupToken } from './setup-token';
export { createFirstAdmin } from './commands/create-first-admin';
export { passwordProblem, hashPassword } from './password';
