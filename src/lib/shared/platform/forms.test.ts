import { describe, expect, it } from 'vitest';
import { formValues } from './forms';
import { profileSchema, signUpSchema } from '../accounts/schemas';

describe('form values', () => {
	it('keeps single fields as strings and repeated ones as lists', () => {
		const data = new FormData();
		data.append('name', 'Ana');
		data.append('interests', 'a');
		data.append('interests', 'b');
		expect(formValues(data)).toEqual({ name: 'Ana', interests: ['a', 'b'] });
	});
});

describe('account schemas', () => {
	it('lower-cases and trims e-mails', () => {
		const r = signUpSchema.parse({
			displayName: ' Ana ',
			email: ' Ana@Example.ORG ',
			password: 'long enough pass',
			locale: 'fr'
		});
		expect(r.email).toBe('ana@example.org');
		expect(r.displayName).toBe('Ana');
	});

	it('parses skills typed with commas, and parsing twice gives the same result', () => {
		const once = profileSchema.parse({
			displayName: 'Ana',
			skills: 'menuiserie, compta , menuiserie,',
			locale: 'fr',
			homeTerritoryId: ''
		});
		expect(once.skills).toEqual(['menuiserie', 'compta']);
		expect(once.interests).toEqual([]);
		expect(once.homeTerritoryId).toBeNull();
		expect(profileSchema.parse(once)).toEqual(once);
	});

	it('reports message keys for bad input', () => {
		const r = signUpSchema.safeParse({ displayName: '', email: 'nope', password: 'short', locale: 'de' });
		expect(r.success).toBe(false);
		const byField = Object.fromEntries(r.error!.issues.map((i) => [i.path[0], i.message]));
		expect(byField).toEqual({
			displayName: 'form_error_required',
			email: 'form_error_email',
			password: 'accounts_error_password_short',
			locale: 'form_error_invalid'
		});
	});
});

describe('amounts typed in either language', async () => {
	const { parseMajorUnits } = await import('../projects/schemas');
	it('reads French and English separators', () => {
		expect(parseMajorUnits('1 250,50')).toBe(125050);
		expect(parseMajorUnits('1,250.50')).toBe(125050);
		expect(parseMajorUnits('1.250,5')).toBe(125050);
		expect(parseMajorUnits('25 €')).toBe(2500);
		expect(parseMajorUnits('12.5')).toBe(1250);
		expect(parseMajorUnits('1500')).toBe(150000);
		expect(parseMajorUnits('1,5,0')).toBeNaN();
		expect(parseMajorUnits('abc')).toBeNaN();
	});
});

describe('money needs parse the same twice', async () => {
	const { needSchema } = await import('../needs/schemas');
	it('keeps the goal in minor units when a parsed need is parsed again', () => {
		const once = needSchema.parse({
			kind: 'money',
			title: 'Outils',
			goalMinor: '1 250,50',
			currency: 'EUR',
			campaignModel: 'keep_it_all',
			deadline: '2030-01-01'
		});
		expect(once.kind === 'money' && once.goalMinor).toBe(125050);
		expect(needSchema.parse(once)).toEqual(once);
	});
});
