import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const load = (locale: string) =>
	JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>;
const fr = load('fr');
const en = load('en');
const keys = (o: Record<string, string>) => Object.keys(o).filter((k) => k !== '$schema');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message files', () => {
	it('have the same keys in French and English', () => {
		const missingInEn = keys(fr).filter((k) => !(k in en));
		const missingInFr = keys(en).filter((k) => !(k in fr));
		expect(missingInEn, 'keys missing in en.json').toEqual([]);
		expect(missingInFr, 'keys missing in fr.json').toEqual([]);
	});

	it('have no empty message and the same placeholders in both languages', () => {
		for (const k of keys(fr)) {
			expect(fr[k].trim(), `fr ${k}`).not.toBe('');
			expect(en[k]?.trim(), `en ${k}`).not.toBe('');
			expect(placeholders(en[k] ?? ''), `placeholders of ${k}`).toEqual(placeholders(fr[k]));
		}
	});

	it('name keys by domain (prefix_words)', () => {
		for (const k of keys(fr)) expect(k).toMatch(/^[a-z0-9]+_[a-z0-9_]+$/);
	});
});
