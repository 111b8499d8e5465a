// Giving, with JavaScript on and off: a new contributor gives €25 plus a tip to a keep-it-all money need
// with the TEST card, signs up for a shift, pledges two planks and offers three hours of expertise; the
// team confirms them on its contributions page; the project pages and the public money page show the new
// figures. The team first adds a shift of its own (demo shifts can fill up) and, when a need has too little
// left for this run, raises its quantity through the needs page, so that runs and files never collide.
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
	BASE_URL,
	GOOD_PASSWORD,
	expectAccessible,
	heading,
	msg,
	signIn,
	signUpThroughUi,
	submit,
	useBrowser,
	visit
} from '../fixtures';

const DEMO_PASSWORD = 'parvis-demo-2026';
const TEAM = 'porteuse@parvis.test';
const Y = new Date().getFullYear() + 1;

/** A keep-it-all money need in euros, open until next year (the project is in progress). */
const BIKES = { slug: 'atelier-de-reparation-de-velos', money: 'Pied d’atelier et clés' };
const GARDEN = {
	slug: 'jardin-partage-des-tanneurs',
	volunteers: 'Chantier de préparation',
	material: 'Planches pour les bacs',
	expertise: 'Conseil en permaculture'
};
const GIFT = { amount: 25, tipPercent: 10 };
const PLANKS = 2;
const HOURS = 3;

const m = (key: string, params?: Record<string, string>) => msg('fr', key, params);

function uniqueWord(): string {
	return Array.from(randomBytes(8), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26]).join('');
}

/** Text with every kind of space (narrow no-break spaces of French numbers included) as one plain space. */
function spaces(text: string | null): string {
	return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/** The amounts of a French text, in minor units: "1 250,50 € collectés sur 2 400,00 €" → [125050, 240000]. */
function amounts(text: string | null): number[] {
	return [...spaces(text).matchAll(/(\d{1,3}(?: \d{3})*|\d+),(\d{2})/g)].map(
		([, whole, cents]) => Number(whole.replace(/ /g, '')) * 100 + Number(cents)
	);
}

/** The whole numbers of a French text: "28 promis sur 40 planches (70 %)" → [28, 40, 70]. */
function counts(text: string | null): number[] {
	return [...spaces(text).matchAll(/\d{1,3}(?: \d{3})+|\d+/g)].map(([n]) => Number(n.replace(/ /g, '')));
}

/** A euro amount as the French interface writes it, spaces made plain: 2750 → "27,50 €". */
function euros(minor: number): string {
	return spaces(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(minor / 100));
}

async function signInAs(page: Page, email: string, password: string, returnTo: string): Promise<void> {
	await visit(page, `/signin?returnTo=${encodeURIComponent(returnTo)}`);
	const response = await signIn(page, 'fr', email, password);
	expect(response.status(), `sign-in of ${email}`).toBe(303);
	expect(new URL(page.url()).pathname).toBe(returnTo);
	await expectAccessible(page);
}

async function expectAlert(page: Page, text: string): Promise<void> {
	await expect
		.poll(async () => spaces((await page.locator('main .alert').allTextContents()).join(' ')))
		.toContain(spaces(text));
}

type ApiNeed = { id: string; kind: string; title: string; target: number; fulfilled: number };

/** The needs of a public project, from the API. */
async function apiNeeds(slug: string): Promise<ApiNeed[]> {
	const res = await fetch(`${BASE_URL}/api/v1/projects/${slug}`);
	expect(res.status, `GET /api/v1/projects/${slug}`).toBe(200);
	return ((await res.json()) as { data: { needs: ApiNeed[] } }).data.needs;
}

/** A need's card on the public project page. */
const needCard = (page: Page, title: string): Locator =>
	page.locator('main .card.need', { has: page.locator('h4', { hasText: title }) });

/** The figures under a need's progress bar on the public project page, as [fulfilled, target]. */
async function progress(page: Page, title: string, kind: 'money' | 'count'): Promise<[number, number]> {
	const text = await needCard(page, title).locator('.need-figures').textContent();
	const [fulfilled, target] = kind === 'money' ? amounts(text) : counts(text);
	expect(target, `figures of "${title}": ${text}`).toBeGreaterThan(0);
	return [fulfilled, target];
}

/** "Dons reçus" and the number of donors in the euro totals of the public money page. */
async function moneyTotals(page: Page): Promise<{ given: number; donors: number }> {
	await visit(page, `/projects/${BIKES.slug}/money`);
	const card = page.locator('main section[aria-labelledby="totals-EUR"]');
	const row = (label: string) =>
		card.locator('dl > div', { has: page.locator('dt').getByText(label, { exact: true }) });
	const [given] = amounts(await row(m('money_given')).locator('dd').textContent());
	const [donors] = counts(await row(m('money_donors')).locator('dd').textContent());
	return { given, donors };
}

/** The team's needs page: the section of one need. */
const manageSection = (page: Page, title: string): Locator =>
	page.locator('main section.card', { has: page.locator('h2', { hasText: title }) });

/**
 * Leaves room for `wanted` more items or hours in a need (other runs and files may have taken what the demo
 * offered): when less is left, the team raises the quantity through the need's edit form.
 */
async function ensureRoom(team: Page, title: string, field: 'quantity' | 'hours', wanted: number) {
	const need = (await apiNeeds(GARDEN.slug)).find((n) => n.title === title);
	expect(need, `need "${title}"`).toBeDefined();
	if (need!.target - need!.fulfilled >= wanted) return;
	const section = manageSection(team, title);
	await section.locator('summary', { hasText: m('manage_need_edit') }).click();
	const form = section.locator('form[action="?/update"]');
	await form.locator(`input[name="${field}"]`).fill(String(need!.fulfilled + wanted));
	const response = await submit(team, form.getByRole('button', { name: m('form_save') }));
	expect(response.status()).toBe(200);
	await expectAlert(team, m('form_saved'));
	await expectAccessible(team);
}

/** A row of the team's contributions page: the contributor's contribution to one need. */
function teamRow(team: Page, needTitle: string, name: string): Locator {
	return team
		.locator('main section', { has: team.locator('h2', { hasText: needTitle }) })
		.locator('tbody tr', { has: team.locator('th', { hasText: name }) });
}

/** Clicks one of a row's action buttons and checks the row's new status. */
async function rowAction(team: Page, row: Locator, action: string, status: string): Promise<void> {
	const button = row.getByRole('button', { name: new RegExp(`^${m(action)}`) });
	const response = await submit(team, button);
	expect(response.status(), `${m(action)}`).toBe(200);
	await expectAlert(team, m('team_contrib_updated'));
	expect(spaces(await row.locator('.badge[class*="status-"]').textContent())).toBe(m(status));
	await expectAccessible(team);
}

const runs = [
	{ javaScript: true, label: 'JavaScript on' },
	{ javaScript: false, label: 'JavaScript off' }
];

describe.each(runs)('giving ($label)', ({ javaScript }) => {
	const browser = useBrowser();

	test(
		'€25 and a tip with the TEST card, a shift, two planks and three hours, confirmed by the team',
		{ timeout: 420_000 },
		async () => {
			const word = uniqueWord();
			const name = `Sacha Donnée ${word}`;
			const place = `Friche des Tanneurs, portail ${word}`;
			const team = await browser.page({ javaScript });
			const contributor = await browser.page({ javaScript });
			const visitor = await browser.page({ javaScript });

			// --- The team opens a shift of its own and leaves room in the material and expertise needs. ---
			await signInAs(team, TEAM, DEMO_PASSWORD, `/projects/${GARDEN.slug}/manage/needs`);
			const volunteers = manageSection(team, GARDEN.volunteers);
			await volunteers.locator('summary', { hasText: m('manage_shift_add') }).click();
			const addShift = volunteers.locator('form[action="?/addShift"]');
			await addShift.locator('input[name="date"]').fill(`${Y}-04-04`);
			await addShift.locator('input[name="startTime"]').fill('14:00');
			await addShift.locator('input[name="endTime"]').fill('17:00');
			await addShift.locator('input[name="place"]').fill(place);
			await addShift.locator('input[name="capacity"]').fill('2');
			let response = await submit(team, addShift.getByRole('button', { name: m('manage_shift_add') }));
			expect(response.status()).toBe(200);
			await expectAlert(team, m('form_saved'));
			await expectAccessible(team);
			await ensureRoom(team, GARDEN.material, 'quantity', PLANKS);
			await ensureRoom(team, GARDEN.expertise, 'hours', HOURS);

			// --- What a visitor sees before. --------------------------------------------------------
			await visit(visitor, `/projects/${BIKES.slug}`);
			const moneyBefore = await progress(visitor, BIKES.money, 'money');
			await visit(visitor, `/projects/${GARDEN.slug}`);
			const volunteersBefore = await progress(visitor, GARDEN.volunteers, 'count');
			const materialBefore = await progress(visitor, GARDEN.material, 'count');
			const expertiseBefore = await progress(visitor, GARDEN.expertise, 'count');
			// Visitors are invited to sign in rather than shown the forms.
			expect(
				await visitor
					.getByRole('form', { name: m('give_material_form_label', { need: GARDEN.material }) })
					.count()
			).toBe(0);
			expect(await visitor.locator('main').textContent()).toContain(m('give_signin'));
			const totalsBefore = await moneyTotals(visitor);

			// --- A new contributor gives €25 and a 10 % tip with the TEST card. -----------------------
			const email = await signUpThroughUi(contributor, { lang: 'fr', label: 'giving', displayName: name });
			await signInAs(contributor, email, GOOD_PASSWORD, `/projects/${BIKES.slug}`);
			const give = contributor.getByRole('form', { name: m('give_money_form_label', { need: BIKES.money }) });
			await give.locator(`input[name="amount"][value="${GIFT.amount}"]`).check();
			await give.locator(`input[name="tip"][value="${GIFT.tipPercent}"]`).check();
			await give.locator('input[name="method"][value="test"]').check();
			expect(await give.getByLabel(m('give_method_test')).isChecked()).toBe(true);
			const amount = GIFT.amount * 100;
			const tip = (amount * GIFT.tipPercent) / 100;
			if (javaScript)
				// With JavaScript, the form adds up gift and tip as the person chooses.
				await expect
					.poll(async () => spaces(await give.locator('.give-total').textContent()))
					.toBe(
						spaces(m('give_total', { gift: euros(amount), tip: euros(tip), total: euros(amount + tip) }))
					);
			await expectAccessible(contributor);
			response = await submit(contributor, give.getByRole('button', { name: m('give_submit') }));
			expect(response.status()).toBe(303);
			const payPath = new URL(contributor.url()).pathname;
			expect(payPath).toMatch(/^\/pay\/test\/[0-9a-f-]{36}$/);
			const giftId = payPath.split('/').pop()!;

			// The TEST card page: a clear banner, the summary, the card's behaviours.
			expect(await heading(contributor)).toBe(m('pay_title'));
			expect(await contributor.locator('main [role="note"]').textContent()).toContain(m('pay_banner_title'));
			const summary = spaces(await contributor.locator('main dl.summary').textContent());
			expect(summary).toContain(BIKES.money);
			expect(summary).toContain(euros(amount));
			expect(summary).toContain(euros(tip));
			expect(summary).toContain(euros(amount + tip));
			await expectAccessible(contributor);
			response = await submit(contributor, contributor.getByRole('button', { name: m('pay_accept') }));
			expect(response.status()).toBe(303);
			expect(new URL(contributor.url()).pathname).toBe(`/contributions/${giftId}`);
			expect(await heading(contributor)).toBe(m('give_receipt_title'));
			await expectAlert(contributor, m('give_receipt_succeeded'));
			expect(spaces(await contributor.locator('main dl.summary').textContent())).toContain(
				euros(amount + tip)
			);
			await expectAccessible(contributor);

			// --- A shift, two planks and three hours on the garden. ------------------------------------
			await visit(contributor, `/projects/${GARDEN.slug}`);
			const shiftRow = needCard(contributor, GARDEN.volunteers).locator('tbody tr', { hasText: place });
			expect(spaces(await shiftRow.textContent())).toContain(
				spaces(m('needs_places_left', { left: '2', capacity: '2' }))
			);
			response = await submit(
				contributor,
				shiftRow.getByRole('button', { name: new RegExp(`^${m('give_signup')}`) })
			);
			expect(response.status()).toBe(200);
			await expectAlert(contributor, m('give_signup_done'));
			expect(spaces(await shiftRow.textContent())).toContain(m('give_shift_mine'));
			expect(spaces(await shiftRow.textContent())).toContain(
				spaces(m('needs_places_left', { left: '1', capacity: '2' }))
			);
			await expectAccessible(contributor);

			const pledge = contributor.getByRole('form', {
				name: m('give_material_form_label', { need: GARDEN.material })
			});
			expect(spaces(await pledge.textContent())).toContain(
				m('give_quantity_hint', { left: String(materialBefore[1] - materialBefore[0]) })
			);
			await pledge.getByLabel(m('give_quantity', { unit: 'planches' })).fill(String(PLANKS));
			await pledge.getByLabel(m('give_note')).fill(`Deux planches de chêne (${word}).`);
			response = await submit(contributor, pledge.getByRole('button', { name: m('give_pledge_submit') }));
			expect(response.status()).toBe(200);
			await expectAlert(contributor, m('give_pledge_done'));
			await expectAccessible(contributor);

			const offer = contributor.getByRole('form', {
				name: m('give_expertise_form_label', { need: GARDEN.expertise })
			});
			await offer.getByLabel(m('give_hours')).fill(String(HOURS));
			await offer.getByLabel(m('give_message')).fill(`Trois heures pour dessiner les buttes (${word}).`);
			response = await submit(contributor, offer.getByRole('button', { name: m('give_offer_submit') }));
			expect(response.status()).toBe(200);
			await expectAlert(contributor, m('give_offer_done'));
			await expectAccessible(contributor);

			// The contributor's list: four contributions, each in its first state.
			await visit(contributor, '/me/contributions');
			const mine = contributor.locator('main tbody tr');
			expect(await mine.count()).toBe(4);
			const line = (need: string) => mine.filter({ hasText: need });
			expect(spaces(await line(BIKES.money).textContent())).toContain(m('me_contributions_status_succeeded'));
			expect(spaces(await line(GARDEN.volunteers).textContent())).toContain(place);
			expect(spaces(await line(GARDEN.volunteers).textContent())).toContain(
				m('me_contributions_status_signed_up')
			);
			expect(spaces(await line(GARDEN.material).textContent())).toContain(
				m('me_contributions_status_pledged')
			);
			expect(spaces(await line(GARDEN.expertise).textContent())).toContain(
				m('me_contributions_status_offered')
			);

			// --- The progress bars and the money page show the new figures. ----------------------------
			await visit(visitor, `/projects/${BIKES.slug}`);
			expect(await progress(visitor, BIKES.money, 'money')).toEqual([
				moneyBefore[0] + amount,
				moneyBefore[1]
			]);
			await visit(visitor, `/projects/${GARDEN.slug}`);
			expect(await progress(visitor, GARDEN.volunteers, 'count')).toEqual([
				volunteersBefore[0] + 1,
				volunteersBefore[1]
			]);
			expect(await progress(visitor, GARDEN.material, 'count')).toEqual([
				materialBefore[0] + PLANKS,
				materialBefore[1]
			]);
			expect(await progress(visitor, GARDEN.expertise, 'count')).toEqual([
				expertiseBefore[0] + HOURS,
				expertiseBefore[1]
			]);
			// The gift (not the tip, which goes to Parvis) is in the money page's total, under the donor's name.
			const totalsAfter = await moneyTotals(visitor);
			expect(totalsAfter.given).toBe(totalsBefore.given + amount);
			expect(totalsAfter.donors).toBe(totalsBefore.donors + 1);
			const giftRow = visitor.locator('main section[aria-labelledby="gifts-title"] tbody tr', {
				hasText: name
			});
			expect(spaces(await giftRow.textContent())).toContain(euros(amount));
			expect(spaces(await giftRow.textContent())).toContain(BIKES.money);

			// --- The team confirms: attendance (offered by the page), planks received, offer accepted. ---
			await visit(team, `/projects/${GARDEN.slug}/manage/contributions`);
			const shiftLine = teamRow(team, GARDEN.volunteers, name);
			const plankLine = teamRow(team, GARDEN.material, name);
			const hoursLine = teamRow(team, GARDEN.expertise, name);
			expect(spaces(await shiftLine.textContent())).toContain(place);
			expect(spaces(await plankLine.textContent())).toContain(`${PLANKS} planches`);
			expect(spaces(await plankLine.textContent())).toContain(word);
			expect(spaces(await hoursLine.textContent())).toContain(word);
			const attendance = shiftLine.getByRole('button', {
				name: new RegExp(`^${m('team_contrib_action_attended')}`)
			});
			const attended = (await attendance.count()) > 0;
			if (attended)
				await rowAction(team, shiftLine, 'team_contrib_action_attended', 'team_contrib_status_attended');
			await rowAction(team, plankLine, 'team_contrib_action_received', 'team_contrib_status_received');
			await rowAction(team, hoursLine, 'team_contrib_action_accepted', 'team_contrib_status_accepted');

			// The contributor sees the team's answers.
			await visit(contributor, '/me/contributions');
			expect(spaces(await line(GARDEN.material).textContent())).toContain(
				m('me_contributions_status_received')
			);
			expect(spaces(await line(GARDEN.expertise).textContent())).toContain(
				m('me_contributions_status_accepted')
			);
			expect(spaces(await line(GARDEN.volunteers).textContent())).toContain(
				m(attended ? 'me_contributions_status_attended' : 'me_contributions_status_signed_up')
			);

			// Confirming changes no promised figure: the planks and hours stay counted once.
			await visit(visitor, `/projects/${GARDEN.slug}`);
			expect((await progress(visitor, GARDEN.material, 'count'))[0]).toBe(materialBefore[0] + PLANKS);
			expect((await progress(visitor, GARDEN.expertise, 'count'))[0]).toBe(expertiseBefore[0] + HOURS);
		}
	);
});
