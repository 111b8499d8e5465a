// The accounts domain's public surface: other domains and routes import only this file.
export type { Actor } from './actor';
export type { RequestContext } from './context';
export { requireActor, requireAdmin, requireModerator, canModerateTerritory } from './policy';
export { validateSession, deleteSession, SESSION_COOKIE, SESSION_ABSOLUTE_MS } from './sessions';
export { SESSION_IDLE_MS } from './sessions';
export { getMyProfile, exportMyData, listUsers, getUserForAdmin, countAdmins } from './queries';
export { countModerators } from './queries';
export { signUp, resendVerification } from './commands/sign-up';
export { verifyEmail } from './commands/verify-email';
export { signIn, SIGN_IN_LIMITS } from './commands/sign-in';
export { requestPasswordReset, resetPassword } from './commands/password-reset';
export { changePassword } from './commands/change-password';
export { requestEmailChange } from './commands/change-email';
export { updateProfile } from './commands/update-profile';
export { deleteAccount } from './commands/delete-account';
export { grantModerator, revokeModerator, setAdministrator } from './commands/roles';
export { issueSetupToken, isValidSetupToken, createFirstAdmin } from './commands/setup';
export { passwordProblem, hashPassword } from './password';
