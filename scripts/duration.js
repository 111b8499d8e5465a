// Durations in the test summary: "8.4s" under a minute, else "12m00s" (rounded to the second first,
// so that 11 min 59.6 s reads 12m00s, never 11m60s).

/**
 * Formats a duration in milliseconds as `8.4s` or `12m00s`.
 * @param {number} ms
 * @returns {string}
 */
export function formatDuration(ms) {
	const tenths = Math.round(ms / 100);
	if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
	const total = Math.round(ms / 1000);
	return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}
