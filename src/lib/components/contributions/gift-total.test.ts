import { describe, expect, it } from 'vitest';
import { moneyAmount } from '$lib/shared/projects/schemas';
import { donateSchema } from '$lib/shared/contributions/money';
import { giftMinor, tipMinor } from './gift-total';

const samples = [
	'',
	' ',
	'0',
	'0,99',
	'1',
	'1,00',
	'25',
	'25 €',
	'12,5',
	'12.50',
	'1 250,50',
	'1,250.50',
	'1.250,50',
	'1\u202f250',
	'12,345',
	'abc',
	'-5',
	'1e3',
	'10000000000',
	'100000000',
	'100000000,01',
	'1000000',
	'1000000,01',
	'25 $ CA'
];

describe('the gift form live total reads amounts as the server does', () => {
	it.each(samples)('gift %j', (typed) => {
		const r = moneyAmount.safeParse(typed);
		expect(giftMinor(typed)).toBe(r.success ? r.data : null);
	});
	it.each(samples)('tip %j', (typed) => {
		const r = donateSchema.shape.tipMinor.safeParse(typed);
		expect(tipMinor(typed)).toBe(r.success ? r.data : null);
	});
});
