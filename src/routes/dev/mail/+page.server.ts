import { error } from '@sveltejs/kit';
import { listOutbox } from '$lib/server/platform/mailer';
import { isDevelopment } from '$lib/server/platform/config';
import type { PageServerLoad } from './$types';

// The development outbox: every mail Parvis "sent" when no SMTP_URL is set. Never in production.
export const load: PageServerLoad = async () => {
	if (!isDevelopment()) error(404);
	return { mails: await listOutbox(50) };
};
