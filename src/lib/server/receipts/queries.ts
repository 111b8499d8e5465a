import { eq, desc, sql } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import { requireActor, type Actor } from '../accounts';
import { authorize } from './policy';
import { receiptIssuers, taxReceipts } from './schema';

/** The person's receipts, newest first. */
export async function listMyReceipts(actor: Actor | null) {
	const me = requireActor(actor);
	return db()
		.select({
			id: taxReceipts.id,
			number: taxReceipts.number,
			year: taxReceipts.year,
			kind: taxReceipts.kind,
			contributionId: taxReceipts.contributionId,
			amountMinor: taxReceipts.amountMinor,
			currency: taxReceipts.currency,
			issuerName: receiptIssuers.name
		})
		.from(taxReceipts)
		.innerJoin(receiptIssuers, eq(receiptIssuers.id, taxReceipts.issuerId))
		.where(eq(taxReceipts.donorId, me.id))
		.orderBy(desc(taxReceipts.issuedAt));
}

/** The person's gifts that can get a receipt (credited, eligible issuer, not yet receipted), by issuer. */
export async function receiptableGifts(actor: Actor | null) {
	const me = requireActor(actor);
	const rows = await db().execute<{
		contribution_id: string;
		amount_minor: number;
		currency: string;
		updated_at: string;
		project_title: string;
		issuer_id: string;
		issuer_name: string;
	}>(sql`
		SELECT c.id AS contribution_id, c.amount_minor, c.currency, c.updated_at, p.title AS project_title,
			i.id AS issuer_id, i.name AS issuer_name
		FROM contributions c
		JOIN projects p ON p.id = c.project_id
		JOIN project_receipt_issuers pri ON pri.project_id = c.project_id
		JOIN receipt_issuers i ON i.id = pri.issuer_id AND i.eligible
		WHERE c.contributor_id = ${me.id} AND c.kind = 'money' AND c.status = 'succeeded'
			AND NOT EXISTS (SELECT 1 FROM tax_receipts r WHERE r.contribution_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM tax_receipts r WHERE r.kind = 'yearly' AND r.issuer_id = i.id AND r.donor_id = c.contributor_id
				AND r.year = extract(year FROM c.updated_at))
		ORDER BY c.updated_at DESC`);
	return rows.rows.map((r) => ({
		...r,
		amount_minor: Number(r.amount_minor),
		year: new Date(r.updated_at).getUTCFullYear()
	}));
}

/** A gift's tax receipt as the donor's list of contributions shows it. */
export type GiftReceipt =
	| { state: 'issued'; receiptId: string; number: number; year: number; kind: 'single' | 'yearly' }
	| { state: 'available' };

/**
 * For each of the person's credited gifts whose project has an eligible issuer: the receipt that covers
 * it (its own, or the yearly one of its issuer and year), or that one can be asked for. One query.
 */
export async function receiptsForMyGifts(actor: Actor | null): Promise<Map<string, GiftReceipt>> {
	const me = requireActor(actor);
	const rows = await db().execute<{
		contribution_id: string;
		receipt_id: string | null;
		number: number | null;
		year: number | null;
		kind: 'single' | 'yearly' | null;
	}>(sql`
		SELECT c.id AS contribution_id, r.id AS receipt_id, r.number, r.year, r.kind
		FROM contributions c
		JOIN project_receipt_issuers pri ON pri.project_id = c.project_id
		JOIN receipt_issuers i ON i.id = pri.issuer_id AND i.eligible
		LEFT JOIN LATERAL (
			SELECT r.id, r.number, r.year, r.kind FROM tax_receipts r
			WHERE r.contribution_id = c.id
				OR (r.kind = 'yearly' AND r.issuer_id = i.id AND r.donor_id = c.contributor_id
					AND r.year = extract(year FROM c.updated_at))
			ORDER BY (r.kind = 'single') DESC LIMIT 1
		) r ON true
		WHERE c.contributor_id = ${me.id} AND c.kind = 'money' AND c.status = 'succeeded'`);
	return new Map(
		rows.rows.map((r) => [
			r.contribution_id,
			r.receipt_id
				? {
						state: 'issued' as const,
						receiptId: r.receipt_id,
						number: Number(r.number),
						year: Number(r.year),
						kind: r.kind!
					}
				: { state: 'available' as const }
		])
	);
}

/** Projects with their receipt issuer, for administrators. */
export async function projectsWithIssuers(actor: Actor | null) {
	await authorize(actor, 'receipts.manage_issuers');
	const rows = await db().execute<{
		project_id: string;
		slug: string;
		title: string;
		carrier_name: string;
		issuer_id: string | null;
		name: string | null;
		address: string | null;
		legal_status: string | null;
		country: 'FR' | 'CA' | null;
		registration_number: string | null;
		eligible: boolean | null;
	}>(sql`
		SELECT p.id AS project_id, p.slug, p.title, p.carrier_name, i.id AS issuer_id, i.name, i.address, i.legal_status,
			i.country, i.registration_number, i.eligible
		FROM projects p LEFT JOIN project_receipt_issuers pri ON pri.project_id = p.id LEFT JOIN receipt_issuers i ON i.id = pri.issuer_id
		WHERE p.status NOT IN ('draft', 'declined')
		ORDER BY p.title`);
	return rows.rows;
}

/** Every receipt issued to a person, with what it prints (name, postal address), for their data export. */
export async function receiptsForExport(exec: Executor, userId: string) {
	return exec
		.select({
			number: taxReceipts.number,
			kind: taxReceipts.kind,
			year: taxReceipts.year,
			issuer: receiptIssuers.name,
			donorName: taxReceipts.donorName,
			donorAddress: taxReceipts.donorAddress,
			amountMinor: taxReceipts.amountMinor,
			currency: taxReceipts.currency,
			paymentDate: taxReceipts.paymentDate,
			paymentMethod: taxReceipts.paymentMethod,
			issuedAt: taxReceipts.issuedAt
		})
		.from(taxReceipts)
		.innerJoin(receiptIssuers, eq(receiptIssuers.id, taxReceipts.issuerId))
		.where(eq(taxReceipts.donorId, userId))
		.orderBy(taxReceipts.issuedAt);
}
