import { z } from 'zod';
import { defineJob } from '../platform/jobs';
import { db } from '../db/client';
import { purgeEndedSessions } from './sessions';

/** Job kind: the nightly deletion of ended sessions (the privacy page promises it). */
export const ACCOUNTS_RETENTION_JOB = 'accounts.retention';

defineJob(
	ACCOUNTS_RETENTION_JOB,
	(d) =>
		z
			.object({})
			.passthrough()
			.parse(d ?? {}),
	async () => {
		await purgeEndedSessions(db());
	},
	{ cron: '23 3 * * *', retryLimit: 3 }
);
