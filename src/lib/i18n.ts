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

// Building an Intl formatter is costly (it was a sixth of the server's time on listings): keep one per
// locale and options.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function dateFormat(fmt: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${fmt}|${JSON.stringify(options)}`;
	let f = dateFormats.get(key);
	if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(fmt, options)));
	return f;
}

function numberFormat(fmt: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
	const key = `${fmt}|${JSON.stringify(options)}`;
	let f = numberFormats.get(key);
	if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(fmt, options)));
	return f;
}

/** A date in the reader's locale. */
export function formatDate(
	date: Date | string,
	fmt: string,
	options: Intl.DateTimeFormatOptions = { dateStyle: 'long' }
): string {
	return dateFormat(fmt, options).format(typeof date === 'string' ? new Date(date) : date);
}

/** Money from integer minor units, in the reader's locale (e.g. 12,50 € or 12,50 $ CA). */
export function formatMoney(minor: number, currency: string, fmt: string): string {
	return numberFormat(fmt, { style: 'currency', currency }).format(minor / 100);
}

/** A plain number in the reader's locale. */
export function formatNumber(n: number, fmt: string): string {
	return numberFormat(fmt, {}).format(n);
}
