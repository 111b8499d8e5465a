// CSV writing for the team's export (RFC 4180, safe in spreadsheets).

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A cell a spreadsheet would read as a formula (= + - @, tab, carriage return) gets a leading quote.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
	let s = value === null || value === undefined ? '' : String(value);
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows to an RFC 4180 document: comma-separated, CRLF line ends, UTF-8 byte order mark for spreadsheets. */
export function toCsv(rows: (string | number | boolean | null | undefined)[][]): string {
	return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
