import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { projectInvitations } from '../schema';

/**
 * Account deletion: removes the invitations sent to the person's address, pending or accepted, so the
 * address no longer shows on any team's page. (Whoever joined stays a member; only the invitation goes.)
 */
export async function forgetInvitationsTo(exec: Executor, email: string): Promise<void> {
	await exec
		.delete(projectInvitations)
		.where(sql`lower(${projectInvitations.email}) = ${email.toLowerCase()}`);
}
