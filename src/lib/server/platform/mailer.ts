import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

/** What identifies a person in mail payloads: their address and their name. */
export interface MailTrace {
	email: string;
	name: string;
}

/**
 * A regular expression (valid in JavaScript and PostgreSQL, to use case-insensitively) that finds the
 * address as a whole: `ana@example.org` must not match inside `hana@example.org`.
 */
export function emailPattern(email: string): string {
	const escaped = email.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return `(^|[^a-z0-9._%+-])${escaped}($|[^a-z0-9.-])`;
}

/** The needles to look for in a payload: the address (lower-cased) and the name as JSON writes it. */
export function mailNeedles(who: MailTrace): { email: string; name: string | null } {
	const name = who.name.trim();
	// A name of one or two letters would match nearly every mail; the address still finds theirs.
	return {
		email: who.email.toLowerCase(),
		name: name.length >= 3 ? JSON.stringify(name).slice(1, -1) : null
	};
}

/** How long the outbox (no SMTP: demo and development) keeps a mail; the privacy page states it. */
export const OUTBOX_RETENTION_DAYS = 7;

/** Account deletion: removes the outbox files addressed to the person or naming them. */
export async function removeOutboxMails(who: MailTrace): Promise<number> {
	const { email, name } = mailNeedles(who);
	const address = new RegExp(emailPattern(email), 'i');
	return removeOutboxFiles((text) => address.test(text) || (!!name && text.includes(name)));
}

/** Removes outbox files older than the retention period. */
export async function purgeOldOutbox(): Promise<number> {
	const cutoff = Date.now() - OUTBOX_RETENTION_DAYS * 24 * 3600_000;
	return removeOutboxFiles((_text, mtimeMs) => mtimeMs < cutoff);
}

async function removeOutboxFiles(doomed: (text: string, mtimeMs: number) => boolean): Promise<number> {
	const dir = config().outboxDir;
	let files: string[];
	try {
		files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
	} catch {
		return 0;
	}
	let removed = 0;
	for (const f of files) {
		const path = join(dir, f);
		try {
			const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
			if (!doomed(text, info.mtimeMs)) continue;
			await rm(path, { force: true });
			removed++;
		} catch {
			/* removed meanwhile */
		}
	}
	return removed;
}

/** Drops the cached SMTP transport (tests switch SMTP_URL). */
export function resetTransport(): void {
	transport?.close();
	transport = undefined;
	transportUrl = undefined;
}
