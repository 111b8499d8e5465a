// A project's whole journey, with JavaScript on and off: the owner creates a draft in Tarentaize-Beaubrun,
// adds a stage and one need of each kind (with a shift), submits it answering every criterion; the Loire
// moderator requests changes, the owner sees the message, adjusts a need and resubmits; the moderator approves;
// a visitor then finds the project by keywords typed without accents and by territory and need kind.
// Until the approval, the draft is nowhere public (list, page, API).
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { BASE_URL, expectAccessible, heading, msg, signIn, submit, useBrowser, visit } from '../fixtures';

const DEMO_PASSWORD = 'parvis-demo-2026';
const OWNER = 'porteuse@parvis.test';
const MODERATOR = 'moderation.loire@parvis.test';
const MODERATOR_NAME = 'Malik Benali';
const TERRITORY = { slug: 'tarentaize-beaubrun', name: 'Tarentaize-Beaubrun' };
/** Dates in next year: deadlines and shifts stay in the future. */
const Y = new Date().getFullYear() + 1;

const m = (key: string, params?: Record<string, string>) => msg('fr', key, params);

/** A word made of letters only, unknown to any dictionary: it finds this run's project and nothing else. */
function uniqueWord(): string {
	return Array.from(randomBytes(8), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26]).join('');
}

/** Text with every kind of space (narrow no-break spaces of French numbers included) as one plain space. */
function spaces(text: string | null): string {
	return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Signs in with a demo account through the sign-in page, which then leads to `returnTo`. */
async function signInAs(page: Page, email: string, returnTo: string): Promise<void> {
	await visit(page, `/signin?returnTo=${encodeURIComponent(returnTo)}`);
	const response = await signIn(page, 'fr', email, DEMO_PASSWORD);
	expect(response.status(), `sign-in of ${email}`).toBe(303);
	expect(new URL(page.url()).pathname).toBe(returnTo.split('?')[0]);
	await expectAccessible(page);
}

/** The success message of a form that came back (role="status" or .alert). */
async function expectAlert(page: Page, text: string): Promise<void> {
	await expect
		.poll(async () => (await page.locator('main .alert, main [role="status"]').allTextContents()).join(' '))
		.toContain(text);
}

/** GET /api/v1/… as JSON, from outside the browser (an API client). */
async function api(path: string): Promise<{ status: number; body: unknown }> {
	const res = await fetch(`${BASE_URL}${path}`, { headers: { accept: 'application/json' } });
	return { status: res.status, body: res.status === 200 ? await res.json() : null };
}

type ProjectList = { data: { slug: string; title: string }[]; meta: { total: number } };

/** Checks that the project is nowhere public: not listed (page and API), its page and API entry answer 404. */
async function expectNotPublic(visitor: Page, slug: string, word: string): Promise<void> {
	await visit(visitor, `/projects?q=${word}`);
	expect((await visitor.locator('main p[aria-live="polite"]').textContent())?.trim()).toBe(
		m('projects_count', { count: '0' })
	);
	expect(await visitor.locator(`main a[href="/projects/${slug}"]`).count()).toBe(0);
	await visit(visitor, `/projects?territory=${TERRITORY.slug}&need=expertise`);
	expect(await visitor.locator(`main a[href="/projects/${slug}"]`).count()).toBe(0);
	await visit(visitor, `/projects/${slug}`, 404);

	const list = await api(`/api/v1/projects?q=${word}`);
	expect(list.status).toBe(200);
	expect((list.body as ProjectList).meta.total).toBe(0);
	const all = await api(`/api/v1/projects?territory=${TERRITORY.slug}&per_page=100`);
	expect((all.body as ProjectList).data.map((p) => p.slug)).not.toContain(slug);
	expect((await api(`/api/v1/projects/${slug}`)).status).toBe(404);
}

/** Answers every criterion of the submission form with yes, explains the first one, and submits. */
async function submitForReview(page: Page, slug: string): Promise<void> {
	await visit(page, `/projects/${slug}/manage`);
	const form = page.locator('form[action="?/submit"]');
	const yes = form.locator('input[type="radio"][name^="meets_"][value="yes"]');
	const criteria = await form.locator('fieldset.criterion').count();
	expect(criteria, 'criteria in the submission form').toBeGreaterThan(0);
	expect(await yes.count()).toBe(criteria);
	for (const radio of await yes.all()) await radio.check();
	await form
		.locator('textarea[name^="explanation_"]')
		.first()
		.fill('Le verger est ouvert à tous les habitants du quartier, sans adhésion.');
	const response = await submit(page, form.getByRole('button', { name: m('manage_submit_button') }));
	expect(response.status()).toBe(303);
	expect(page.url()).toBe(`${BASE_URL}/projects/${slug}/manage?submitted=1`);
	await expectAlert(page, m('manage_submitted'));
	expect(await page.locator('.manage-title').textContent()).toContain(m('projects_status_submitted'));
	await expectAccessible(page);
}

/** Opens the project from the moderation queue (the link in the queue's table). */
async function openFromQueue(page: Page, slug: string, title: string): Promise<void> {
	await visit(page, '/moderation');
	const link = page.locator('main table a', { hasText: title });
	await Promise.all([page.waitForURL(`**/moderation/${slug}`), link.click()]);
	await page.locator('h1', { hasText: m('moderation_review_title', { project: title }) }).waitFor();
	await expectAccessible(page);
}

/** The moderator's decision: every criterion judged (one optionally failing), a decision and a message. */
async function decide(
	page: Page,
	decision: 'approve' | 'request_changes',
	message: string,
	failing = 0
): Promise<void> {
	const form = page.locator('form', { has: page.getByRole('button', { name: m('moderation_submit') }) });
	const yes = form.locator('input[type="radio"][name^="passes_"][value="yes"]');
	const no = form.locator('input[type="radio"][name^="passes_"][value="no"]');
	const count = await yes.count();
	expect(count, 'criteria to judge').toBeGreaterThan(0);
	for (let i = 0; i < count; i++) await (i < failing ? no.nth(i) : yes.nth(i)).check();
	if (failing) await form.locator('textarea[name^="note_"]').first().fill(message);
	const label =
		decision === 'approve' ? 'moderation_decision_approve' : 'moderation_decision_request_changes';
	await form.getByLabel(m(label), { exact: true }).check();
	if (message) await form.getByLabel(m('moderation_field_message')).fill(message);
	const response = await submit(page, form.getByRole('button', { name: m('moderation_submit') }));
	expect(response.status()).toBe(303);
	expect(page.url()).toBe(`${BASE_URL}/moderation?done=${decision}`);
	await expectAlert(page, m(`moderation_done_${decision}`));
	await expectAccessible(page);
}

/**
 * Sends the search form of /projects (a GET form: with JavaScript the router handles it, without it the
 * browser loads the page) and waits until the page shows `expectedTotal` results.
 */
async function search(page: Page, expectedTotal: number): Promise<void> {
	const before = page.url();
	const form = page.locator('main form[role="search"]');
	await Promise.all([
		page.waitForURL((u) => u.href !== before),
		form.getByRole('button', { name: m('projects_filters_apply'), exact: true }).click()
	]);
	const count = m('projects_count', { count: String(expectedTotal) });
	await page
		.locator('main p[aria-live="polite"]', { hasText: new RegExp(`^\\s*${escapeRegExp(count)}\\s*$`) })
		.waitFor();
	await expectAccessible(page);
}

const runs = [
	{ javaScript: true, label: 'JavaScript on' },
	{ javaScript: false, label: 'JavaScript off' }
];

describe.each(runs)('project journey ($label)', ({ javaScript }) => {
	const browser = useBrowser();

	test(
		'create a draft with a stage and four needs, submit, changes requested, resubmit, approve, find it',
		{ timeout: 420_000 },
		async () => {
			const word = uniqueWord();
			const title = `Vergers éphémères ${word}`;
			const needs = {
				money: 'Arbres fruitiers et tuteurs',
				volunteers: 'Équipe de plantation',
				material: 'Piquets en châtaignier',
				expertise: 'Conseil en taille des fruitiers'
			};
			const stageName = 'Planter les premiers arbres';
			const shiftPlace = `Square Gambetta, rendez-vous ${word}`;
			const owner = await browser.page({ javaScript });
			const visitor = await browser.page({ javaScript });
			const moderator = await browser.page({ javaScript });

			// --- The owner creates the draft. ---------------------------------------------------------
			await signInAs(owner, OWNER, '/projects/new');
			expect(await heading(owner)).toBe(m('projects_new_title'));
			await owner.getByLabel(m('projects_field_title')).fill(title);
			await owner
				.getByLabel(m('projects_field_summary'))
				.fill('Planter des fruitiers dans les cours et les squares du quartier, et les entretenir ensemble.');
			await owner
				.getByLabel(m('projects_field_description'))
				.fill(
					'Des **pommiers**, des poiriers et des cerisiers plantés avec les habitants.\n\n- une fête de la récolte\n- des ateliers de taille'
				);
			const territory = owner.getByLabel(m('projects_field_territory'));
			const territoryId = await territory
				.locator('option', { hasText: TERRITORY.name })
				.first()
				.getAttribute('value');
			expect(territoryId).toMatch(/^[0-9a-f-]{36}$/);
			await territory.selectOption(territoryId!);
			await owner.getByRole('checkbox', { name: 'Alimentation', exact: true }).check();
			await owner.getByLabel(m('projects_field_address')).fill('Square Gambetta, 42000 Saint-Étienne');
			await owner.getByLabel(m('projects_field_carrier_name')).fill('Les Croqueurs de Tarentaize');
			await owner.getByLabel(m('projects_field_legal_form')).selectOption('association');
			let response = await submit(owner, owner.getByRole('button', { name: m('projects_new_submit') }));
			expect(response.status()).toBe(303);
			const manageUrl = new URL(owner.url());
			const slug = manageUrl.pathname.match(/^\/projects\/([^/]+)\/manage$/)?.[1] ?? '';
			expect(slug, `slug in ${owner.url()}`).toContain(word);
			expect(manageUrl.searchParams.get('created')).toBe('1');
			expect(await heading(owner)).toBe(m('manage_title', { project: title }));
			await expectAlert(owner, m('manage_created'));
			expect(await owner.locator('.manage-title').textContent()).toContain(m('projects_status_draft'));
			await expectAccessible(owner);
			const manage = `/projects/${slug}/manage`;

			// A draft is not public.
			await expectNotPublic(visitor, slug, word);

			// --- A stage. -----------------------------------------------------------------------------
			await visit(owner, `${manage}/stages`);
			expect(await owner.locator('main').textContent()).toContain(m('manage_stages_none'));
			await owner.locator('#new-stage-name').fill(stageName);
			await owner.locator('#new-stage-description').fill('Creuser, planter, pailler et arroser.');
			await owner.locator('#new-stage-starts').fill(`${Y}-11-15`);
			await owner.locator('#new-stage-ends').fill(`${Y}-12-15`);
			response = await submit(owner, owner.getByRole('button', { name: m('manage_stage_add_button') }));
			expect(response.status()).toBe(200);
			await expectAlert(owner, m('form_saved'));
			await owner
				.locator('main details summary', {
					hasText: m('manage_stage_number', { n: '1', name: stageName })
				})
				.waitFor();
			await expectAccessible(owner);

			// --- One need of each kind, all in the stage. ---------------------------------------------
			await visit(owner, `${manage}/needs`);
			expect(await owner.locator('main').textContent()).toContain(m('manage_needs_none'));
			const fields: Record<keyof typeof needs, Record<string, string>> = {
				money: { goal: '1 250,50', deadline: `${Y}-10-31` },
				volunteers: { role: 'Planteur·se', skills: 'jardinage, arboriculture' },
				material: { quantity: '30', unit: 'piquets', dropoff: 'Local associatif, le samedi' },
				expertise: { skill: 'taille des arbres fruitiers', hours: '4' }
			};
			for (const kind of ['money', 'volunteers', 'material', 'expertise'] as const) {
				const box = owner.locator('main details.card', {
					has: owner.locator('summary', { hasText: m(`manage_need_add_${kind}`) })
				});
				await box.locator('summary').click();
				await owner.locator(`#new-${kind}-title`).fill(needs[kind]);
				for (const [field, value] of Object.entries(fields[kind]))
					await owner.locator(`#new-${kind}-${field}`).fill(value);
				if (kind === 'money') await owner.locator('#new-money-model').selectOption('keep_it_all');
				await owner.locator(`#new-${kind}-stage`).selectOption({ label: stageName });
				response = await submit(owner, box.getByRole('button', { name: m('manage_need_add_button') }));
				expect(response.status(), `adding the ${kind} need`).toBe(200);
				await expectAlert(owner, m('form_saved'));
				await owner.locator('main section.card h2', { hasText: needs[kind] }).waitFor();
				await expectAccessible(owner);
			}
			const needSection = (title: string) =>
				owner.locator('main section.card', { has: owner.locator('h2', { hasText: title }) });

			// A shift for the volunteers.
			const volunteers = needSection(needs.volunteers);
			await volunteers.locator('summary', { hasText: m('manage_shift_add') }).click();
			const addShift = volunteers.locator('form[action="?/addShift"]');
			await addShift.locator('input[name="date"]').fill(`${Y}-11-21`);
			await addShift.locator('input[name="startTime"]').fill('09:30');
			await addShift.locator('input[name="endTime"]').fill('12:00');
			await addShift.locator('input[name="place"]').fill(shiftPlace);
			await addShift.locator('input[name="capacity"]').fill('6');
			response = await submit(owner, addShift.getByRole('button', { name: m('manage_shift_add') }));
			expect(response.status()).toBe(200);
			await expectAlert(owner, m('form_saved'));
			expect(
				await needSection(needs.volunteers)
					.locator('form[action="?/updateShift"] input[name="place"]')
					.inputValue()
			).toBe(shiftPlace);
			expect(await needSection(needs.volunteers).locator('.need-figures').textContent()).toContain(
				m('needs_progress_volunteers', { fulfilled: '0', target: '6' })
			);
			await expectAccessible(owner);

			// --- Submission, answering every criterion. -----------------------------------------------
			await submitForReview(owner, slug);
			await expectNotPublic(visitor, slug, word);

			// --- The moderator of the Loire asks for changes. -----------------------------------------
			const request = `Merci de préciser les horaires du dépôt des piquets (${word}).`;
			await signInAs(moderator, MODERATOR, '/moderation');
			await openFromQueue(moderator, slug, title);
			const review = await moderator.locator('main').textContent();
			for (const need of Object.values(needs)) expect(review).toContain(need);
			expect(review).toContain(stageName);
			expect(review).toContain(shiftPlace);
			expect(review).toContain('Le verger est ouvert à tous les habitants du quartier');
			await decide(moderator, 'request_changes', request, 1);

			// The owner sees the message on the project's page of the personal space.
			await visit(owner, manage);
			expect(await owner.locator('.manage-title').textContent()).toContain(
				m('projects_status_changes_requested')
			);
			const next = owner.locator('section[aria-labelledby="next-title"]');
			expect(await next.textContent()).toContain(m('manage_next_changes_requested'));
			const message = next.locator('.alert');
			expect(await message.textContent()).toContain(request);
			expect(await message.textContent()).toContain(
				m('manage_review_message_title', { name: MODERATOR_NAME })
			);
			await expectAccessible(owner);
			await expectNotPublic(visitor, slug, word);

			// The owner answers: the drop-off of the material need gets opening hours.
			await visit(owner, `${manage}/needs`);
			const material = needSection(needs.material);
			await material.locator('summary', { hasText: m('manage_need_edit') }).click();
			const dropoff = 'Local associatif, 3 rue des Tanneurs, le samedi de 10 h à 12 h';
			await material.locator('textarea[name="dropoff"]').fill(dropoff);
			response = await submit(
				owner,
				material.locator('form[action="?/update"]').getByRole('button', { name: m('form_save') })
			);
			expect(response.status()).toBe(200);
			await expectAlert(owner, m('form_saved'));
			await expectAccessible(owner);

			// Resubmission (the earlier answers are kept; they are confirmed again).
			await submitForReview(owner, slug);
			await expectNotPublic(visitor, slug, word);

			// --- The moderator approves. --------------------------------------------------------------
			await visit(moderator, '/moderation');
			const row = moderator.locator('main table tr', { hasText: title });
			expect(await row.textContent()).toContain(m('moderation_resubmission'));
			await openFromQueue(moderator, slug, title);
			expect(await moderator.locator('main').textContent()).toContain(dropoff);
			expect(await moderator.locator('main').textContent()).toContain(request);
			await decide(moderator, 'approve', 'Merci, le projet est publié.');
			expect(await moderator.locator('main table a', { hasText: title }).count()).toBe(0);

			await visit(owner, manage);
			expect(await owner.locator('.manage-title').textContent()).toContain(m('projects_status_published'));
			await expectAccessible(owner);

			// --- A visitor finds it by keywords typed without accents… -------------------------------
			await visit(visitor, '/projects');
			await visitor.getByLabel(m('projects_filter_q')).fill(`vergers ephemeres ${word}`);
			await search(visitor, 1);
			expect(new URL(visitor.url()).searchParams.get('q')).toBe(`vergers ephemeres ${word}`);
			const card = visitor.locator('main .project-list a', { hasText: title });
			expect(await card.getAttribute('href')).toBe(`/projects/${slug}`);

			// … and by territory and need kind.
			const filtered = await api(`/api/v1/projects?territory=${TERRITORY.slug}&need=expertise`);
			const { meta, data } = filtered.body as ProjectList;
			expect(data.map((p) => p.slug)).toContain(slug);
			await visit(visitor, '/projects');
			await visitor.getByLabel(m('projects_filter_territory')).selectOption(TERRITORY.slug);
			await visitor.getByLabel(m('projects_filter_need')).selectOption('expertise');
			await search(visitor, meta.total);
			const params = new URL(visitor.url()).searchParams;
			expect(params.get('territory')).toBe(TERRITORY.slug);
			expect(params.get('need')).toBe('expertise');
			await visitor.locator('main .project-list a', { hasText: title }).waitFor();

			// The public page shows the stage, the four needs and the shift.
			await Promise.all([
				visitor.waitForURL(`**/projects/${slug}`),
				visitor.locator('main .project-list a', { hasText: title }).click()
			]);
			await visitor.locator('h1', { hasText: title }).waitFor();
			const page = await visitor.locator('main').textContent();
			expect(page).toContain(m('projects_stage_heading', { name: stageName }));
			for (const need of Object.values(needs)) expect(page).toContain(need);
			expect(page).toContain(shiftPlace);
			expect(page).toContain(dropoff);
			await expectAccessible(visitor);

			// The API lists it too, found with the same words.
			const found = await api(`/api/v1/projects?q=${encodeURIComponent(`vergers ephemeres ${word}`)}`);
			expect((found.body as ProjectList).data.map((p) => p.slug)).toEqual([slug]);
			expect((await api(`/api/v1/projects/${slug}`)).status).toBe(200);

			// The money need's goal, typed the French way ("1 250,50"), is 1 250,50 €.
			const moneyCard = visitor.locator('main .card.need', {
				has: visitor.locator('h4', { hasText: needs.money })
			});
			expect(
				spaces(await moneyCard.locator('.need-figures').textContent()),
				'goal of a money need added through the needs form'
			).toContain(m('needs_progress_money', { fulfilled: '0,00 €', target: '1 250,50 €' }));
		}
	);
});
