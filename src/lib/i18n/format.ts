// Dates, numbers and money in the reader's locale. Browser-safe and free of the message catalogue: client
// components import these from here, so that they do not pull `t()` (which needs every message).
import { getLocale } from '$lib/paraglide/runtime.js';

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
