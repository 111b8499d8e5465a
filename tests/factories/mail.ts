import { listOutbox, type OutboxMail } from '$lib/server/platform/mailer';
import { currentBoss } from '$lib/server/platform/jobs';
import { MAIL_JOB } from '$lib/server/platform/mail-job';
import { deliver } from '$lib/server/platform/mailer';

/**
 * Delivers the queued mails now (fetching them from the real job queue as a worker would) and
 * returns the outbox. Tests use it instead of waiting for the polling worker.
 */
export async function flushMail(): Promise<OutboxMail[]> {
	const boss = currentBoss();
	if (!boss) throw new Error('job queue not started');
	for (;;) {
		const jobs = await boss.fetch<{ to: string; subject: string; text: string; html: string }>(MAIL_JOB, {
			batchSize: 50
		});
		if (!jobs || jobs.length === 0) break;
		for (const job of jobs) {
			await deliver(job.data);
			await boss.complete(MAIL_JOB, job.id);
		}
	}
	return listOutbox(500);
}

/** The token in the last mail to `to` whose link contains `path`. */
export async function tokenFromMail(to: string, path: string): Promise<string> {
	const mails = await flushMail();
	const mail = mails.find((m) => m.to === to && m.text.includes(path));
	if (!mail) throw new Error(`no mail to ${to} with ${path}`);
	const match = mail.text.match(/token=([A-Za-z0-9_-]+)/);
	if (!match) throw new Error('no token in mail');
	return match[1];
}
