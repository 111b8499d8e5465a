import { t, type Locale } from '$lib/i18n';
import { config } from '../platform/config';
import { renderMail } from '../platform/mail-template';
import { queueMail } from '../platform/mail-job';

function link(path: string): string {
	return `${config().publicUrl}${path}`;
}

/** The e-mail-verification mail, sent after sign-up. */
export function sendVerificationMail(to: string, locale: Locale, name: string, token: string) {
	return queueMail(
		renderMail({
			to,
			locale,
			subject: t('mail_verify_subject', {}, locale),
			paragraphs: [t('mail_hello', { name }, locale), t('mail_verify_body', {}, locale)],
			action: { label: t('mail_verify_action', {}, locale), url: link(`/verify-email?token=${token}`) }
		})
	);
}

/** The password-reset mail. */
export function sendResetMail(to: string, locale: Locale, name: string, token: string) {
	return queueMail(
		renderMail({
			to,
			locale,
			subject: t('mail_reset_subject', {}, locale),
			paragraphs: [
				t('mail_hello', { name }, locale),
				t('mail_reset_body', {}, locale),
				t('mail_reset_ignore', {}, locale)
			],
			action: { label: t('mail_reset_action', {}, locale), url: link(`/password/reset?token=${token}`) }
		})
	);
}

/** Sent to the new address to confirm an e-mail change. */
export function sendEmailChangeMail(to: string, locale: Locale, name: string, token: string) {
	return queueMail(
		renderMail({
			to,
			locale,
			subject: t('mail_email_change_subject', {}, locale),
			paragraphs: [t('mail_hello', { name }, locale), t('mail_email_change_body', {}, locale)],
			action: { label: t('mail_email_change_action', {}, locale), url: link(`/verify-email?token=${token}`) }
		})
	);
}

/** Tells the person their password changed (in case it was not them). */
export function sendPasswordChangedMail(to: string, locale: Locale, name: string) {
	return queueMail(
		renderMail({
			to,
			locale,
			subject: t('mail_password_changed_subject', {}, locale),
			paragraphs: [t('mail_hello', { name }, locale), t('mail_password_changed_body', {}, locale)]
		})
	);
}
