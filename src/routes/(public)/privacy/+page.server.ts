import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '$lib/server/accounts';
import { RECEIPT_RETENTION_YEARS } from '$lib/server/receipts';
import { AUDIT_RETENTION_DAYS } from '$lib/server/platform/audit';
import { JOB_RETENTION_DAYS } from '$lib/server/platform/jobs';
import { OUTBOX_RETENTION_DAYS } from '$lib/server/platform/mailer';
import { RATE_LIMIT_MAX_WINDOW_SECONDS } from '$lib/server/platform/rate-limit';
import type { PageServerLoad } from './$types';

const DAY_MS = 24 * 3600_000;

// The durations come from the constants the code enforces, so the page cannot drift from what is done.
export const load: PageServerLoad = () => ({
	retention: {
		sessionIdleDays: SESSION_IDLE_MS / DAY_MS,
		sessionAbsoluteDays: SESSION_ABSOLUTE_MS / DAY_MS,
		rateLimitHours: RATE_LIMIT_MAX_WINDOW_SECONDS / 3600,
		auditDays: AUDIT_RETENTION_DAYS,
		jobDays: JOB_RETENTION_DAYS,
		outboxDays: OUTBOX_RETENTION_DAYS,
		receiptYears: RECEIPT_RETENTION_YEARS
	}
});
