// Sign-in attempts are slowed down per (e-mail address, IP address) pair: after 5 failures, the next attempt
// must wait (30 s, then longer), refused meanwhile with HTTP 429 and a message, even with the right password.
// Never per address alone (anyone could lock anyone out). A fresh account keeps other tests unaffected.
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

test('a 6th wrong sign-in attempt in a row from one place is answered with 429 and a message', async () => {
	const page = await browser.page({ lang: 'fr', javaScript: true });
	const email = await signUpThroughUi(page, { lang: 'fr', label: 'rate-limit' });
	await visit(page, '/signin');

	for (let attempt = 1; attempt <= 5; attempt++) {
		const response = await signIn(page, 'fr', email, `wrong password ${attempt}`);
		expect(response.status(), `attempt ${attempt}`).toBe(400);
		expect(await page.locator('#field-password-error').textContent()).toContain(
			msg('fr', 'accounts_error_credentials')
		);
		await expectAccessible(page);
	}

	let response = await signIn(page, 'fr', email, 'wrong password 6');
	expect(response.status()).toBe(429);
	expect(await page.locator('main').textContent()).toContain(msg('fr', 'accounts_error_slow_down'));
	expect(await page.locator('.error-summary[role="alert"]').textContent()).toContain(
		msg('fr', 'accounts_error_slow_down')
	);
	await expectAccessible(page);

	// While it waits, even the right password is refused.
	response = await signIn(page, 'fr', email, GOOD_PASSWORD);
	expect(response.status()).toBe(429);
	expect(new URL(page.url()).pathname).toBe('/signin');
	expect(await page.locator('main').textContent()).toContain(msg('fr', 'accounts_error_slow_down'));
	await expectAccessible(page);
});
