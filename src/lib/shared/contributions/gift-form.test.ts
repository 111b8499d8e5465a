import { describe, expect, it } from 'vitest';
import { donateSchema } from './money';
import { giftFormSchema } from './gift-form';

const schema = giftFormSchema(['test', 'offline']);
const base = { needId: 'n1', method: 'test', idempotencyKey: 'key-12345678', tip: '0' };

describe('the gift form', () => {
	it('gives the donate input in minor units, without a trip through major units', () => {
		const r = schema.parse({ ...base, amount: '25', tip: '10' });
		expect(r).toMatchObject({ needId: 'n1', amountMinor: 2500, tipMinor: 250, method: 'test' });
		// The payments' schema takes it as it is: a number is already in minor units.
		expect(donateSchema.parse(r)).toMatchObject({ amountMinor: 2500, tipMinor: 250 });
	});

	it('prefers a typed amount, and takes a typed tip as an amount', () => {
		const r = schema.parse({ ...base, amount: '10', amountOther: '1 250,50', tip: 'other', tipOther: '3' });
		expect(r).toMatchObject({ amountMinor: 125050, tipMinor: 300, anonymous: false });
	});

	it('puts each error on the form field the person sees', () => {
		const issues = (v: Record<string, string>) =>
			Object.fromEntries(
				schema.safeParse({ ...base, ...v }).error!.issues.map((i) => [String(i.path[0]), i.message])
			);
		expect(issues({ amount: '' })).toEqual({ amountOther: 'give_error_amount_missing' });
		expect(issues({ amount: 'other', amountOther: '0,50' })).toEqual({
			amountOther: 'give_error_amount_min'
		});
		expect(issues({ amount: '25', tip: 'other', tipOther: 'abc' })).toEqual({
			tipOther: 'form_error_amount'
		});
		expect(issues({ amount: '25', tip: '7' })).toEqual({ tipOther: 'form_error_invalid' });
		expect(issues({ amount: '25', method: 'stripe' })).toEqual({ method: 'contributions_error_method' });
		expect(issues({ amount: '25', message: 'x'.repeat(1001) })).toEqual({ message: 'form_error_too_long' });
	});
});
