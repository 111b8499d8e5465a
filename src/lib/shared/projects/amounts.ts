// Amounts typed by people, browser-safe and free of zod (schemas.ts builds its zod schemas on this).

/**
 * Minor units from an amount typed in major units, French or English style: "1 250,50", "1,250.50",
 * "1250.5", "25 €". The last separator followed by one or two digits is the decimal one; NaN otherwise.
 */
export function parseMajorUnits(v: string): number {
	let cleaned = v.replace(/[\s\u00a0\u202f€$]|CA/g, '');
	const decimal = cleaned.match(/[.,](\d{1,2})$/);
	const whole = decimal ? cleaned.slice(0, -decimal[0].length) : cleaned;
	// Thousands separators: groups of three digits after the first group.
	if (!/^\d{1,3}([.,]\d{3})*$|^\d+$/.test(whole)) return NaN;
	cleaned = whole.replace(/[.,]/g, '') + (decimal ? `.${decimal[1]}` : '');
	return Math.round(Number(cleaned) * 100);
}
