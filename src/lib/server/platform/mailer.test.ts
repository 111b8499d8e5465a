import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { z } from 'zod';
import { useTestDatabase } from '../../../../tests/db';
import { deliver, listOutbox, resetTransport, type Mail } from './mailer';
import { queueMail } from './mail-job';

useTestDatabase({ worker: true });

interface Received {
	from: string;
	to: string[];
	raw: string;
}

const received: Received[] = [];
let smtp: SMTPServer;
let smtpUrl: string;

beforeAll(async () => {
	smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks).toString('utf8')
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
	const address = smtp.server.address();
	if (!address || typeof address === 'string') throw new Error('no SMTP port');
	smtpUrl = `smtp://127.0.0.1:${address.port}`;
});

afterAll(async () => {
	resetTransport();
	await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

afterEach(() => {
	delete process.env.SMTP_URL;
	resetTransport();
});

// --- A minimal MIME reader: enough to find the parts and decode what nodemailer encodes. ---

function decodeQuotedPrintable(text: string): string {
	const bytes: number[] = [];
	const body = text.replace(/=\r?\n/g, '');
	for (let i = 0; i < body.length; i++) {
		if (body[i] === '=' && /^[0-9A-F]{2}$/i.test(body.slice(i + 1, i + 3))) {
			bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			bytes.push(...Buffer.from(body[i], 'utf8'));
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

/** Headers (unfolded, lower-cased names) and body of one MIME entity. */
function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
	const at = entity.indexOf('\r\n\r\n');
	const head = entity.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
	const headers = new Map<string, string>();
	for (const line of head.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
	}
	return { headers, body: entity.slice(at + 4) };
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header value. */
function decodeHeader(value: string): string {
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
			enc.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: decodeQuotedPrintable(text.replace(/_/g, ' '))
		);
}

function parseMessage(raw: string) {
	const { headers, body } = splitEntity(raw);
	const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
	const parts = boundary
		? body
				.split(`--${boundary}`)
				.slice(1, -1)
				.map((p) => splitEntity(p.replace(/^\r\n/, '')))
				.map((p) => ({
					type: p.headers.get('content-type') ?? '',
					text:
						p.headers.get('content-transfer-encoding') === 'quoted-printable'
							? decodeQuotedPrintable(p.body.trimEnd())
							: p.headers.get('content-transfer-encoding') === 'base64'
								? Buffer.from(p.body, 'base64').toString('utf8')
								: p.body.trimEnd()
				}))
		: [];
	return { headers, subject: decodeHeader(headers.get('subject') ?? ''), parts };
}

async function waitForMail(to: string, timeoutMs = 10_000): Promise<Received> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const mail = received.find((m) => m.to.includes(to));
		if (mail) return mail;
		if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
		await sleep(100);
	}
}

const mail: Mail = {
	to: 'lea@example.org',
	subject: 'Votre projet « Jardin partagé » est publié',
	text: 'Bonjour Léa,\nVotre projet est en ligne : https://parvis.example/projects/jardin',
	html: '<p>Bonjour Léa,</p><p>Votre projet est <strong>en ligne</strong>.</p>'
};

describe('deliver over SMTP', () => {
	it('sends a multipart message with the subject, the recipient, a text and an HTML part', async () => {
		process.env.SMTP_URL = smtpUrl;
		await deliver(mail);

		const got = await waitForMail('lea@example.org', 2000);
		expect(got.from).toBe('no-reply@parvis.localhost');
		expect(got.to).toEqual(['lea@example.org']);
		expect(got.raw).toContain('Content-Type: text/plain');
		expect(got.raw).toContain('Content-Type: text/html');

		const message = parseMessage(got.raw);
		expect(message.headers.get('to')).toBe('lea@example.org');
		expect(message.headers.get('from')).toBe('Parvis <no-reply@parvis.localhost>');
		expect(message.subject).toBe(mail.subject);
		expect(message.headers.get('content-type')).toMatch(/^multipart\/alternative;/);
		const plain = message.parts.find((p) => p.type.startsWith('text/plain'));
		const html = message.parts.find((p) => p.type.startsWith('text/html'));
		expect(plain?.type).toContain('charset=utf-8');
		expect(plain?.text.replace(/\r\n/g, '\n')).toBe(mail.text);
		expect(html?.text).toBe(mail.html);

		// Over SMTP nothing goes to the outbox.
		expect(await listOutbox()).toEqual([]);
	});

	it('rejects when the SMTP server cannot be reached, so that the job is retried', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as { port: number }).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));

		process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
		await expect(deliver({ ...mail, to: 'nobody@example.org' })).rejects.toThrow(/ECONNREFUSED/);
		expect(received.some((m) => m.to.includes('nobody@example.org'))).toBe(false);
	});

	it('refuses an invalid mail before sending anything', async () => {
		process.env.SMTP_URL = smtpUrl;
		await expect(deliver({ ...mail, to: 'not an address' })).rejects.toThrow(z.ZodError);
		await expect(deliver({ ...mail, to: 'empty@example.org', html: '' })).rejects.toThrow(z.ZodError);
		await sleep(100);
		expect(received.some((m) => m.to.includes('empty@example.org'))).toBe(false);
	});
});

describe('deliver without SMTP_URL', () => {
	it('writes the mail into the outbox, listed newest first', async () => {
		await deliver({ ...mail, to: 'first@example.org' });
		await sleep(5); // distinct millisecond prefixes keep the order certain
		await deliver({ ...mail, to: 'second@example.org', subject: 'Second' });

		const outbox = await listOutbox();
		expect(outbox.map((m) => m.to)).toEqual(['second@example.org', 'first@example.org']);
		const [second, first] = outbox;
		expect(second.subject).toBe('Second');
		expect(first).toMatchObject({
			to: 'first@example.org',
			from: 'Parvis <no-reply@parvis.localhost>',
			subject: mail.subject,
			text: mail.text,
			html: mail.html
		});
		expect(first.id).toMatch(/^\d+-[0-9a-f-]{36}$/);
		expect(Number.isNaN(Date.parse(first.date))).toBe(false);
		expect(await listOutbox(1)).toHaveLength(1);
		expect(received.some((m) => m.to.includes('first@example.org'))).toBe(false);
	});
});

describe('queueMail through the job queue', () => {
	it('is delivered over SMTP by the worker', async () => {
		process.env.SMTP_URL = smtpUrl;
		await queueMail({ ...mail, to: 'queued@example.org', subject: 'Queued mail' });

		const got = await waitForMail('queued@example.org', 10_000);
		const message = parseMessage(got.raw);
		expect(message.subject).toBe('Queued mail');
		expect(message.parts.map((p) => p.type.split(';')[0]).sort()).toEqual(['text/html', 'text/plain']);
	});
});
