import { describe, expect, it } from 'vitest';
import { amountInWords, frenchWords, englishWords } from './words';

describe('amounts in words', () => {
	it('spells French numbers, including the tricky ones', () => {
		expect(frenchWords(21)).toBe('vingt-et-un');
		expect(frenchWords(71)).toBe('soixante-et-onze');
		expect(frenchWords(80)).toBe('quatre-vingts');
		expect(frenchWords(99)).toBe('quatre-vingt-dix-neuf');
		expect(frenchWords(200)).toBe('deux-cents');
		expect(frenchWords(1250)).toBe('mille-deux-cent-cinquante');
		expect(frenchWords(200000)).toBe('deux-cent-mille');
	});
	it('spells amounts with cents in both languages', () => {
		expect(amountInWords(2550, 'EUR', 'fr')).toBe('vingt-cinq euros et cinquante centimes');
		expect(amountInWords(100, 'EUR', 'fr')).toBe('un euro');
		expect(amountInWords(150001, 'CAD', 'fr')).toBe('mille-cinq-cents dollars canadiens et un centime');
		expect(amountInWords(2550, 'EUR', 'en')).toBe('twenty-five euros and fifty cents');
		expect(englishWords(1_234_567)).toBe(
			'one million two hundred and thirty-four thousand five hundred and sixty-seven'
		);
	});
});
