import { sql } from 'drizzle-orm';
import { db } from '../db/client';
import { requireAdmin, type Actor } from '../accounts';

/** Recent money gifts with what was refunded (from the ledger), for administrators; optional text search. */
export async function listGiftsForAdmin(actor: Actor | null, options: { q?: string; page?: number } = {}) {
	requireAdmin(actor);
	const page = Math.max(1, options.page ?? 1);
	const q = options.q?.trim() ? `%${options.q.trim()}%` : null;
	const rows = await db().execute<{
		id: string;
		status: string;
		amount_minor: number;
		tip_minor: number;
		currency: string;
		payment_method: string;
		created_at: string;
		project_title: string;
		donor_name: string;
		donor_email: string;
		refunded: string;
	}>(sql`
		SELECT c.id, c.status, c.amount_minor, c.tip_minor, c.currency, c.payment_method, c.created_at,
			p.title AS project_title, u.display_name AS donor_name, u.email AS donor_email,
			(SELECT coalesce(-sum(e.amount_minor), 0) FROM ledger_groups g JOIN ledger_entries e ON e.group_id = g.id
				JOIN ledger_accounts a ON a.id = e.account_id
				WHERE g.contribution_id = c.id AND g.kind = 'refund' AND a.kind = 'campaign')::text AS refunded
		FROM contributions c JOIN projects p ON p.id = c.project_id JOIN users u ON u.id = c.contributor_id
		WHERE c.kind = 'money' AND (${q}::text IS NULL OR p.title ILIKE ${q} OR u.email ILIKE ${q} OR u.display_name ILIKE ${q})
		ORDER BY c.created_at DESC LIMIT 50 OFFSET ${(page - 1) * 50}`);
	return rows.rows.map((r) => ({
		...r,
		amount_minor: Number(r.amount_minor),
		tip_minor: Number(r.tip_minor ?? 0),
		refunded: Number(r.refunded)
	}));
}
