import * as m from '$lib/paraglide/messages.js';
import { getLocale, locales } from '$lib/paraglide/runtime.js';

export type Locale = (typeof locales)[number];
type MessageFn = (params?: Record<string, unknown>, options?: { locale?: Locale }) => string;

/** True when `key` names a message in messages/*.json. */
export function isMessageKey(key: string): boolean {
	return typeof (m as unknown as Record<string, unknown>)[key] === 'function';
}

/** Translates a message key chosen at run time (error codes, enums); unknown keys come back as is. */
export function t(key: string, params: Record<string, unknown> = {}, locale?: Locale): string {
	const fn = (m as unknown as Record<string, MessageFn>)[key];
	return fn ? fn(params, locale ? { locale } : undefined) : key;
}

/** The locale used for dates, numbers and money: fr-CA for Québec readers, else the interface locale. */
export function formatLocale(region?: string | null): string {
	const locale = getLocale();
	if (locale === 'fr' && region === 'CA') return 'fr-CA';
	if (locale === 'en' && region === 'CA') return 'en-CA';
	return locale === 'fr' ? 'fr-FR' : 'en-GB';
}

/** A date in the reader's locale. */
export function formatDate(
	date: Date | string,
	fmt: string,
	options: Intl.DateTimeFormatOptions = { dateStyle: 'long' }
): string {
	return new Intl.DateTimeFormat(fmt, options).format(typeof date === 'string' ? new Date(date) : date);
}

/** Money from integer minor units, in the reader's locale (e.g. 12,50 € or 12,50 $ CA). */
export function formatMoney(minor: number, currency: string, fmt: string): string {
	return new Intl.NumberFormat(fmt, { style: 'currency', currency }).format(minor / 100);
}

/** A plain number in the reader's locale. */
export function formatNumber(n: number, fmt: string): string {
	return new Intl.NumberFormat(fmt).format(n);
}
