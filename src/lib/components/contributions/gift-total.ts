// The gift form's live total, in the browser: the same reading of an amount as the server's zod schemas
// (moneyAmount, donateSchema.tipMinor; gift-total.test.ts holds them together) without shipping zod.
// Only a display: the server validates what is sent.
import { parseMajorUnits } from '$lib/shared/projects/amounts';

const GIFT_MIN_MINOR = 100;
const GIFT_MAX_MINOR = 100_000_000_00;
const TIP_MAX_MINOR = 1_000_000_00;

function within(minor: number, min: number, max: number): number | null {
	return Number.isInteger(minor) && minor >= min && minor <= max ? minor : null;
}

/** A gift typed in major units ("25", "1 250,50") → minor units, or null when the server would refuse it. */
export function giftMinor(typed: string): number | null {
	return typed.trim() === '' ? null : within(parseMajorUnits(typed), GIFT_MIN_MINOR, GIFT_MAX_MINOR);
}

/** A tip typed in major units → minor units (empty is no tip), or null when the server would refuse it. */
export function tipMinor(typed: string): number | null {
	return typed === '' ? 0 : within(parseMajorUnits(typed), 0, TIP_MAX_MINOR);
}
