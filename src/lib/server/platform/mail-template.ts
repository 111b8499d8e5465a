import { t, type Locale } from '$lib/i18n';
import type { Mail } from './mailer';

function escapeHtml(s: string): string {
	return s.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);
}

export interface MailContent {
	to: string;
	locale: Locale;
	subject: string;
	/** Paragraphs of text, already translated. */
	paragraphs: string[];
	/** An optional call to action. */
	action?: { label: string; url: string };
}

/** Builds a bilingual-ready mail (plain text plus HTML) from translated parts. */
export function renderMail(c: MailContent): Mail {
	const footer = t('mail_footer', {}, c.locale);
	const textParts = [...c.paragraphs];
	if (c.action) textParts.push(`${c.action.label}: ${c.action.url}`);
	textParts.push('-- ', footer);
	const html = `<!doctype html><html lang="${c.locale}"><head><meta charset="utf-8"><title>${escapeHtml(c.subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1b1b; max-width: 36rem; margin: 0 auto; padding: 1rem">
${c.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${c.action ? `<p><a href="${escapeHtml(c.action.url)}" style="display:inline-block;background:#0b5c4a;color:#fff;padding:.6rem 1rem;border-radius:.3rem;text-decoration:none">${escapeHtml(c.action.label)}</a></p><p style="font-size:.9em">${escapeHtml(c.action.url)}</p>` : ''}
<hr><p style="font-size:.85em;color:#555">${escapeHtml(footer)}</p>
</body></html>`;
	return { to: c.to, subject: c.subject, text: textParts.join('\n\n'), html };
}
