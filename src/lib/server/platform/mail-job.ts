import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { defineJob, enqueue } from './jobs';
import { deliver, emailPattern, mailNeedles, mailSchema, type Mail, type MailTrace } from './mailer';

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

/**
 * Account deletion: removes from the job queue (pg-boss tables `job` and `archive`) every mail
 * addressed to the person, queued or sent, and every already-delivered mail that names them or
 * their address (a copy kept for retries only). Mails still waiting for other people are left to go.
 */
export async function forgetMails(exec: Executor, who: MailTrace): Promise<void> {
	const exists = await exec.execute<{ ok: boolean }>(
		sql`SELECT to_regclass('pgboss.job') IS NOT NULL AND to_regclass('pgboss.archive') IS NOT NULL AS ok`
	);
	if (!exists.rows[0]?.ok) return;
	const { email, name } = mailNeedles(who);
	const address = emailPattern(email);
	const mentions = name
		? sql`(data::text ~* ${address} OR strpos(data::text, ${name}) > 0)`
		: sql`data::text ~* ${address}`;
	await exec.execute(sql`
		DELETE FROM pgboss.job WHERE name = ${MAIL_JOB}
			AND (lower(data->>'to') = ${email} OR (state::text IN ('completed', 'failed', 'cancelled') AND ${mentions}))`);
	await exec.execute(sql`DELETE FROM pgboss.archive WHERE name = ${MAIL_JOB} AND ${mentions}`);
}
