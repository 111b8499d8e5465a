import { redirect } from '@sveltejs/kit';
import { deleteSession, SESSION_COOKIE } from '$lib/server/accounts';
import type { RequestHandler } from './$types';

/** Ends the current session. */
export const POST: RequestHandler = async ({ locals, cookies }) => {
	if (locals.sessionToken) await deleteSession(locals.sessionToken);
	cookies.delete(SESSION_COOKIE, { path: '/' });
	redirect(303, '/?signedOut=1');
};
