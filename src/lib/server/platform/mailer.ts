import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import { config } from './config';

export const mailSchema = z.object({
	to: z.string().email(),
	subject: z.string().min(1),
	text: z.string().min(1),
	html: z.string().min(1)
});
export type Mail = z.infer<typeof mailSchema>;

export interface OutboxMail extends Mail {
	id: string;
	from: string;
	date: string;
}

let transport: Transporter | undefined;
let transportUrl: string | undefined;

/**
 * Delivers one mail now: over SMTP when SMTP_URL is set, otherwise into the outbox on disk
 * (`<data>/outbox/*.json`, listed at /dev/mail outside production). Called by the mail job.
 */
export async function deliver(mail: Mail): Promise<void> {
	const cfg = config();
	const message = mailSchema.parse(mail);
	if (cfg.SMTP_URL) {
		if (!transport || transportUrl !== cfg.SMTP_URL) {
			transport = nodemailer.createTransport(cfg.SMTP_URL);
			transportUrl = cfg.SMTP_URL;
		}
		await transport.sendMail({ from: cfg.MAIL_FROM, ...message });
		return;
	}
	await mkdir(cfg.outboxDir, { recursive: true });
	const id = `${Date.now()}-${randomUUID()}`;
	const stored: OutboxMail = { id, from: cfg.MAIL_FROM, date: new Date().toISOString(), ...message };
	await writeFile(join(cfg.outboxDir, `${id}.json`), JSON.stringify(stored, null, 2));
}

/** The outbox, newest first. */
export async function listOutbox(limit = 100): Promise<OutboxMail[]> {
	const dir = config().outboxDir;
	let files: string[];
	try {
		files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
	} catch {
		return [];
	}
	files.sort().reverse();
	const mails = await Promise.all(
		files.slice(0, limit).map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as OutboxMail)
	);
	return mails;
}

/** Drops the cached SMTP transport (tests switch SMTP_URL). */
export function resetTransport(): void {
	transport?.close();
	transport = undefined;
	transportUrl = undefined;
}
