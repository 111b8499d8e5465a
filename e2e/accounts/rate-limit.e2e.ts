// Sign-in attempts are limited per e-mail address: after 10 failures, the 11th attempt is refused
// with HTTP 429 and a message, even with the right password. A fresh account keeps other tests unaffected.
import { expect, test } from 'vitest';
import {
	GOOD_PASSWORD,
	expectAccessible,
	msg,
	signIn,
	signUpThroughUi,
	useBrowser,
	visit
} from '../fixtures';

const browser = useBrowser();

test('11 wrong sign-in attempts for one address are answered with 429 and a message', async () => {
	const page = await browser.page({ lang: 'fr', javaScript: true });
	const email = await signUpThroughUi(page, { lang: 'fr', label: 'rate-limit' });
	await visit(page, '/signin');

	for (let attempt = 1; attempt <= 10; attempt++) {
		const response = await signIn(page, 'fr', email, `wrong password ${attempt}`);
		expect(response.status(), `attempt ${attempt}`).toBe(400);
		expect(await page.locator('#field-password-error').textContent()).toContain(
			msg('fr', 'accounts_error_credentials')
		);
		await expectAccessible(page);
	}

	let response = await signIn(page, 'fr', email, 'wrong password 11');
	expect(response.status()).toBe(429);
	expect(await page.locator('main').textContent()).toContain(msg('fr', 'error_rate_limited'));
	expect(await page.locator('.error-summary[role="alert"]').textContent()).toContain(
		msg('fr', 'error_rate_limited')
	);
	await expectAccessible(page);

	// While limited, even the right password is refused.
	response = await signIn(page, 'fr', email, GOOD_PASSWORD);
	expect(response.status()).toBe(429);
	expect(new URL(page.url()).pathname).toBe('/signin');
	expect(await page.locator('main').textContent()).toContain(msg('fr', 'error_rate_limited'));
	await expectAccessible(page);
});
