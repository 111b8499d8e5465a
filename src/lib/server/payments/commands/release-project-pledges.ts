import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { projects } from '../../projects/schema';
import { contributions } from '../../contributions/schema';
import { lockContribution, setGiftStatus, type Contribution } from '../../contributions';
import { mailDonors } from '../mails';

/** The job, queued by the projects domain when a project is cancelled (by this name: no import). */
export const RELEASE_PLEDGES_JOB = 'payments.release_project_pledges';

export const releasePledgesSchema = z.object({ projectId: z.uuid('form_error_invalid') });

/**
 * Releases every pledge of a cancelled project at once: the provider's hold is freed first (Stripe:
 * authorization cancelled, saved card detached; the test method has nothing to call), then each pledge
 * is cancelled in its own transaction and its donor told. Idempotent: run again (a retried job, the
 * closing job's sweep) it finds nothing left to release. A project that is not cancelled is left alone.
 */
export async function releaseProjectPledges(
	input: z.input<typeof releasePledgesSchema>,
	options: { release?: (c: Contribution) => Promise<void> } = {}
): Promise<{ released: number }> {
	const { projectId } = parseInput(releasePledgesSchema, input);
	const [project] = await db()
		.select({ status: projects.status })
		.from(projects)
		.where(eq(projects.id, projectId));
	if (project?.status !== 'cancelled') return { released: 0 };
	const pledges = await db()
		.select()
		.from(contributions)
		.where(
			and(
				eq(contributions.projectId, projectId),
				eq(contributions.kind, 'money'),
				eq(contributions.status, 'pledged')
			)
		);
	const released: string[] = [];
	for (const c of pledges) {
		await options.release?.(c);
		const done = await db().transaction(async (tx) => {
			const fresh = await lockContribution(tx, c.id);
			if (fresh?.status !== 'pledged') return false; // settled by an earlier run
			await setGiftStatus(tx, c.id, 'cancelled', { from: ['pledged'] });
			await audit(tx, {
				action: 'payments.pledge_released',
				targetType: 'contribution',
				targetId: c.id,
				data: { reason: 'project_cancelled', projectId }
			});
			return true;
		});
		if (done) released.push(c.id);
	}
	await mailDonors(released, 'project_cancelled');
	return { released: released.length };
}
