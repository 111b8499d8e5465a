// Amounts in words for tax receipts ("vingt-cinq euros et cinquante centimes"), French and English.

const FR_UNITS = [
	'zéro',
	'un',
	'deux',
	'trois',
	'quatre',
	'cinq',
	'six',
	'sept',
	'huit',
	'neuf',
	'dix',
	'onze',
	'douze',
	'treize',
	'quatorze',
	'quinze',
	'seize',
	'dix-sept',
	'dix-huit',
	'dix-neuf'
];
const FR_TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante'];

function frBelow100(n: number): string {
	if (n < 20) return FR_UNITS[n];
	if (n < 70) {
		const t = Math.floor(n / 10);
		const u = n % 10;
		return u === 0 ? FR_TENS[t] : u === 1 ? `${FR_TENS[t]}-et-un` : `${FR_TENS[t]}-${FR_UNITS[u]}`;
	}
	if (n < 80) return n === 71 ? 'soixante-et-onze' : `soixante-${FR_UNITS[n - 60]}`;
	return n === 80 ? 'quatre-vingts' : `quatre-vingt-${FR_UNITS[n - 80]}`;
}

function frBelow1000(n: number): string {
	const h = Math.floor(n / 100);
	const r = n % 100;
	if (h === 0) return frBelow100(r);
	const hundreds = h === 1 ? 'cent' : `${FR_UNITS[h]}-cent${r === 0 ? 's' : ''}`;
	return r === 0 ? hundreds : `${hundreds}-${frBelow100(r)}`;
}

/** A whole number in French words (1990 spelling: hyphens everywhere). */
export function frenchWords(n: number): string {
	if (n === 0) return 'zéro';
	const parts: string[] = [];
	const millions = Math.floor(n / 1_000_000);
	const thousands = Math.floor((n % 1_000_000) / 1000);
	const rest = n % 1000;
	if (millions) parts.push(millions === 1 ? 'un-million' : `${frBelow1000(millions)}-millions`);
	if (thousands)
		parts.push(thousands === 1 ? 'mille' : `${frBelow1000(thousands).replace(/cents$/, 'cent')}-mille`);
	if (rest) parts.push(frBelow1000(rest));
	return parts.join('-');
}

const EN_UNITS = [
	'zero',
	'one',
	'two',
	'three',
	'four',
	'five',
	'six',
	'seven',
	'eight',
	'nine',
	'ten',
	'eleven',
	'twelve',
	'thirteen',
	'fourteen',
	'fifteen',
	'sixteen',
	'seventeen',
	'eighteen',
	'nineteen'
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function enBelow1000(n: number): string {
	const h = Math.floor(n / 100);
	const r = n % 100;
	const tens = r < 20 ? EN_UNITS[r] : `${EN_TENS[Math.floor(r / 10)]}${r % 10 ? `-${EN_UNITS[r % 10]}` : ''}`;
	if (!h) return tens;
	return r ? `${EN_UNITS[h]} hundred and ${tens}` : `${EN_UNITS[h]} hundred`;
}

/** A whole number in English words. */
export function englishWords(n: number): string {
	if (n === 0) return 'zero';
	const parts: string[] = [];
	const millions = Math.floor(n / 1_000_000);
	const thousands = Math.floor((n % 1_000_000) / 1000);
	const rest = n % 1000;
	if (millions) parts.push(`${enBelow1000(millions)} million`);
	if (thousands) parts.push(`${enBelow1000(thousands)} thousand`);
	if (rest) parts.push(enBelow1000(rest));
	return parts.join(' ');
}

/** An amount of money in words, in French or English, e.g. "vingt-cinq euros et cinquante centimes". */
export function amountInWords(minor: number, currency: string, locale: 'fr' | 'en'): string {
	const units = Math.floor(minor / 100);
	const cents = minor % 100;
	if (locale === 'fr') {
		const unit =
			currency === 'CAD'
				? units > 1
					? 'dollars canadiens'
					: 'dollar canadien'
				: units > 1
					? 'euros'
					: 'euro';
		const base = `${frenchWords(units)} ${unit}`;
		return cents ? `${base} et ${frenchWords(cents)} centime${cents > 1 ? 's' : ''}` : base;
	}
	const unit =
		currency === 'CAD'
			? units === 1
				? 'Canadian dollar'
				: 'Canadian dollars'
			: units === 1
				? 'euro'
				: 'euros';
	const base = `${englishWords(units)} ${unit}`;
	return cents ? `${base} and ${englishWords(cents)} cent${cents > 1 ? 's' : ''}` : base;
}
