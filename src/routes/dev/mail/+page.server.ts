import { error } from '@sveltejs/kit';
import { listOutbox } from '$lib/server/platform/mailer';
import { isDevelopment } from '$lib/server/platform/config';
import { t } from '$lib/i18n';
import type { PageServerLoad } from './$types';

// The development outbox: every mail Parvis "sent" when no SMTP_URL is set. Never in production (unless
// PARVIS_DEV_PAGES=1), and for administrators only: it shows everyone's password-reset and setup links,
// so an open outbox would let anyone take over any account (the administrator's first).
export const load: PageServerLoad = async ({ locals }) => {
	if (!isDevelopment()) error(404, t('error_not_found'));
	if (!locals.actor?.isAdmin) error(404, t('error_not_found'));
	return { mails: await listOutbox(50) };
};
