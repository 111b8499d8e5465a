import * as m from '$lib/paraglide/messages.js';
import { locales } from '$lib/paraglide/runtime.js';

export type Locale = (typeof locales)[number];
type MessageFn = (params?: Record<string, unknown>, options?: { locale?: Locale }) => string;

/** True when `key` names a message in messages/*.json. */
export function isMessageKey(key: string): boolean {
	return typeof (m as unknown as Record<string, unknown>)[key] === 'function';
}

/**
 * Translates a message key chosen at run time (error codes, enums); unknown keys come back as is.
 * It reaches every message: in code that runs in the browser it ships the whole catalogue of both
 * languages, so public pages' components use static `m.key()` calls (see components/labels.ts).
 */
export function t(key: string, params: Record<string, unknown> = {}, locale?: Locale): string {
	const fn = (m as unknown as Record<string, MessageFn>)[key];
	return fn ? fn(params, locale ? { locale } : undefined) : key;
}

export { formatLocale, formatDate, formatMoney, formatNumber } from './i18n/format';
