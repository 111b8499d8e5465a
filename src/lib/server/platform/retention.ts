import { z } from 'zod';
import { defineJob } from './jobs';
import { db } from '../db/client';
import { purgeStaleRateLimits } from './rate-limit';
import { purgeOldAudit } from './audit';
import { purgeOldOutbox } from './mailer';

/** Job kind: the nightly clean-up of platform data past its retention (see the privacy page). */
export const PLATFORM_RETENTION_JOB = 'platform.retention';

/** Deletes rate-limit counters past their window, audit rows past a year, outbox mails past a week. */
export async function purgePlatformData(): Promise<void> {
	await purgeStaleRateLimits(db());
	await purgeOldAudit(db());
	await purgeOldOutbox();
}

defineJob(
	PLATFORM_RETENTION_JOB,
	(d) =>
		z
			.object({})
			.passthrough()
			.parse(d ?? {}),
	() => purgePlatformData(),
	{ cron: '29 3 * * *', retryLimit: 3 }
);
