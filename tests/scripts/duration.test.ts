import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../scripts/duration.js';

describe('formatDuration (npm test summary)', () => {
	it('rounds to the second before splitting minutes, so 11 min 59.6 s reads 12m00s', () => {
		expect(formatDuration(11 * 60_000 + 59_600)).toBe('12m00s');
		expect(formatDuration(12 * 60_000)).toBe('12m00s');
		expect(formatDuration(59_960)).toBe('1m00s');
		expect(formatDuration(61_400)).toBe('1m01s');
		expect(formatDuration(7 * 60_000 + 5_000)).toBe('7m05s');
	});

	it('shows tenths of a second under a minute', () => {
		expect(formatDuration(0)).toBe('0.0s');
		expect(formatDuration(8_440)).toBe('8.4s');
		expect(formatDuration(59_940)).toBe('59.9s');
	});
});
