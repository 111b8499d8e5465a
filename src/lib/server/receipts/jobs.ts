import { z } from 'zod';
import { defineJob } from '../platform/jobs';
import { db } from '../db/client';
import { eraseExpiredDonorDetails } from './commands/expire-donor-details';

/** Job kind: the nightly erasure of donors' details from receipts past their legal retention. */
export const RECEIPTS_RETENTION_JOB = 'receipts.retention';

defineJob(
	RECEIPTS_RETENTION_JOB,
	(d) =>
		z
			.object({})
			.passthrough()
			.parse(d ?? {}),
	async () => {
		await eraseExpiredDonorDetails(db());
	},
	{ cron: '35 3 * * *', retryLimit: 3 }
);
