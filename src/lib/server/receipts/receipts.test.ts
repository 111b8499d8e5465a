import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { AppError } from '../platform/errors';
import type { Actor } from '../accounts';
import { addNeed } from '../needs';
import { donate, completePayment, refundDonation } from '../payments';
import {
	setProjectIssuer,
	requestReceipt,
	requestYearlyReceipt,
	receiptPdf,
	listMyReceipts,
	receiptsForMyGifts
} from './index';

process.env.PARVIS_PAYMENTS_TEST = '1';
useTestDatabase();

let owner: Actor;
let admin: Actor;
let donor: Actor;
let other: Actor;
let projectId: string;
let needId: string;
let issuerId: string;
const donorInfo = { donorName: 'Marie Curie', donorAddress: '11 rue Pierre et Marie Curie, 75005 Paris' };

async function give(actor: Actor, amount: number) {
	const { contributionId } = await donate(actor, needId, {
		amountMinor: String(amount),
		tipMinor: '0',
		anonymous: false,
		message: '',
		method: 'test',
		idempotencyKey: randomUUID()
	});
	await completePayment({
		contributionId,
		providerEvent: `test:${contributionId}`,
		outcome: 'succeeded',
		amountMinor: amount * 100,
		currency: 'EUR'
	});
	return contributionId;
}

async function code(p: Promise<unknown>): Promise<string> {
	const e = await p.then(
		() => null,
		(err) => err
	);
	if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${e}`);
	return e.code;
}

beforeAll(async () => {
	owner = (await buildUser()).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
	donor = (await buildUser()).actor;
	other = (await buildUser()).actor;
	const t = await buildTerritory();
	const p = await buildProject(owner, t.id, { title: 'Épicerie solidaire' });
	projectId = p.id;
	needId = (
		await addNeed(owner, p.id, {
			kind: 'money',
			title: 'Stock',
			goalMinor: '5000',
			currency: 'EUR',
			campaignModel: 'keep_it_all',
			deadline: `${new Date().getFullYear() + 1}-12-31`
		} as never)
	).id;
	await publishProject(owner, admin, p.id);
});

describe('tax receipts', () => {
	it('refuses receipts until an eligible issuer is declared; only administrators declare it', async () => {
		const c = await give(donor, 30);
		expect(await code(requestReceipt(donor, c, donorInfo))).toBe('conflict');
		const issuer = {
			name: 'Association Épicerie Pour Tous',
			address: '3 place du Marché, 42000 Saint-Étienne',
			legalStatus: 'Association d’intérêt général (loi 1901)',
			country: 'FR' as const,
			registrationNumber: 'W421001234',
			eligible: 'on'
		};
		expect(await code(setProjectIssuer(owner, projectId, issuer))).toBe('forbidden');
		issuerId = await setProjectIssuer(admin, projectId, issuer);
		const id = await requestReceipt(donor, c, donorInfo);
		expect(await requestReceipt(donor, c, donorInfo)).toBe(id);
		expect(await code(requestReceipt(other, c, donorInfo))).toBe('not_found');
	});

	it('numbers receipts sequentially per issuer, even when asked in parallel', async () => {
		const gifts = await Promise.all([give(other, 10), give(other, 11), give(other, 12), give(other, 13)]);
		await Promise.all(gifts.map((g) => requestReceipt(other, g, donorInfo)));
		const numbers = (await listMyReceipts(other)).map((r) => r.number).sort((a, b) => a - b);
		expect(numbers).toEqual([2, 3, 4, 5]);
	});

	it('issues a PDF with the required fields, net of refunds', async () => {
		const c = await give(donor, 25);
		await refundDonation(admin, c, { amountMinor: '5' }, 'r1');
		const id = await requestReceipt(donor, c, donorInfo);
		const { pdf, filename } = await receiptPdf(donor, id, 'fr');
		expect(filename).toMatch(/^recu-\d{4}-00006\.pdf$/);
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(await code(receiptPdf(other, id, 'fr'))).toBe('not_found');
		// Read back with pdftotext (poppler-utils, installed by .ci/run): every legal field is printed.
		const dir = mkdtempSync(join(tmpdir(), 'receipt-'));
		writeFileSync(join(dir, 'r.pdf'), pdf);
		const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
		for (const part of [
			'Marie Curie',
			'75005 Paris',
			'Association Épicerie Pour Tous',
			'W421001234',
			'vingt euros',
			'20,00',
			'article 200',
			'carte (paiement de test)'
		]) {
			expect(text).toContain(part);
		}
		expect(text).toMatch(/\d{4}-00006/);
	});

	it('gives one yearly receipt for the gifts not yet receipted', async () => {
		const fresh = (await buildUser()).actor;
		await give(fresh, 20);
		await give(fresh, 15);
		const id = await requestYearlyReceipt(fresh, issuerId, new Date().getFullYear(), donorInfo);
		const mine = await listMyReceipts(fresh);
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ id, kind: 'yearly', amountMinor: 3500 });
		expect(await code(requestYearlyReceipt(other, issuerId, 1999, donorInfo))).toBe('conflict');
	});

	it('tells each gift of the donor its receipt, or that one can be asked for', async () => {
		const giver = (await buildUser()).actor;
		const [a, b, c] = [await give(giver, 40), await give(giver, 8), await give(giver, 12)];
		let mine = await receiptsForMyGifts(giver);
		expect([a, b, c].map((id) => mine.get(id))).toEqual([
			{ state: 'available' },
			{ state: 'available' },
			{ state: 'available' }
		]);
		const single = await requestReceipt(giver, a, donorInfo);
		const yearly = await requestYearlyReceipt(giver, issuerId, new Date().getFullYear(), donorInfo);
		mine = await receiptsForMyGifts(giver);
		expect(mine.get(a)).toMatchObject({ state: 'issued', receiptId: single, kind: 'single' });
		expect(mine.get(b)).toMatchObject({ state: 'issued', receiptId: yearly, kind: 'yearly' });
		expect(mine.get(c)).toMatchObject({ state: 'issued', receiptId: yearly, kind: 'yearly' });
		expect(mine.size).toBe(3);
		expect((await receiptsForMyGifts(other)).has(a)).toBe(false);
		expect(await code(receiptsForMyGifts(null))).toBe('unauthenticated');
	});
});
