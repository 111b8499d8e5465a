// When a campaign still takes money: one rule for new gifts and for payments that arrive late.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { needs } from '../needs/schema';
import { projects } from '../projects/schema';

/** Project statuses in which money needs take gifts. */
export const OPEN_STATUSES = new Set(['published', 'funded', 'not_funded', 'in_progress']);

/** Whether a need takes gifts now: its project is live, and it is neither settled nor past its deadline. */
export function takesGifts(
	need: Pick<typeof needs.$inferSelect, 'closedAt' | 'deadline'>,
	project: Pick<typeof projects.$inferSelect, 'status'>,
	now = Date.now()
): boolean {
	return (
		OPEN_STATUSES.has(project.status) && !need.closedAt && !(need.deadline && need.deadline.getTime() < now)
	);
}

/** The need and project of a gift (a join read, for takesGifts). */
export async function campaignOf(exec: Executor, needId: string) {
	const [row] = await exec
		.select({ need: needs, project: projects })
		.from(needs)
		.innerJoin(projects, eq(projects.id, needs.projectId))
		.where(eq(needs.id, needId));
	return row;
}
