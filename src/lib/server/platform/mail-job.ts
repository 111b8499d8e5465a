import { defineJob, enqueue } from './jobs';
import { deliver, mailSchema, type Mail } from './mailer';

/** Job kind that delivers one e-mail, retried with backoff when SMTP fails. */
export const MAIL_JOB = 'mail.send';

defineJob(
	MAIL_JOB,
	(d) => mailSchema.parse(d),
	(mail) => deliver(mail),
	{ retryLimit: 8 }
);

/** Queues an e-mail for delivery by the worker. */
export async function queueMail(mail: Mail): Promise<void> {
	await enqueue(MAIL_JOB, mail);
}
