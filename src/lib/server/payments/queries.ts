import { and, eq, sql } from 'drizzle-orm';
import { projects } from '../projects/schema';
import { contributions } from '../contributions/schema';
import { db } from '../db/client';
import { requireAdmin, type Actor } from '../accounts';
import { pendingRefundMinor } from './stripe/refunds';

/**
 * Recent money gifts with what was refunded (from the ledger) and what is asked of Stripe and not yet
 * confirmed, for administrators; optional text search.
 */
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
		payment_ref: string | null;
	}>(sql`
		SELECT c.id, c.status, c.amount_minor, c.tip_minor, c.currency, c.payment_method, c.created_at, c.payment_ref,
			p.title AS project_title, u.display_name AS donor_name, u.email AS donor_email,
			(SELECT coalesce(-sum(e.amount_minor), 0) FROM ledger_groups g JOIN ledger_entries e ON e.group_id = g.id
				JOIN ledger_accounts a ON a.id = e.account_id
				WHERE g.contribution_id = c.id AND g.kind = 'refund' AND a.kind = 'campaign')::text AS refunded
		FROM contributions c JOIN projects p ON p.id = c.project_id JOIN users u ON u.id = c.contributor_id
		WHERE c.kind = 'money' AND (${q}::text IS NULL OR p.title ILIKE ${q} OR u.email ILIKE ${q} OR u.display_name ILIKE ${q})
		ORDER BY c.created_at DESC LIMIT 50 OFFSET ${(page - 1) * 50}`);
	return rows.rows.map(({ payment_ref, ...r }) => ({
		...r,
		amount_minor: Number(r.amount_minor),
		tip_minor: Number(r.tip_minor ?? 0),
		refunded: Number(r.refunded),
		// Asked of Stripe, not yet confirmed: shown as requested, never as refunded.
		refund_pending: r.payment_method === 'stripe' ? pendingRefundMinor(payment_ref) : 0
	}));
}

/** Money needs with a positive balance, for the payout form. */
export async function needsWithBalance(actor: Actor | null) {
	requireAdmin(actor);
	const rows = await db().execute<{
		need_id: string;
		need_title: string;
		project_title: string;
		currency: string;
		balance: string;
	}>(sql`
		SELECT n.id AS need_id, n.title AS need_title, p.title AS project_title, a.currency, sum(e.amount_minor)::text AS balance
		FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id JOIN needs n ON n.id = a.ref_id JOIN projects p ON p.id = n.project_id
		WHERE a.kind = 'campaign' GROUP BY n.id, n.title, p.title, a.currency HAVING sum(e.amount_minor) > 0 ORDER BY p.title`);
	return rows.rows.map((r) => ({ ...r, balance: Number(r.balance) }));
}

/** Cancelled projects that still hold pledges (the closing job's sweep, should a release job be lost). */
export async function cancelledProjectsWithPledges(): Promise<string[]> {
	const rows = await db()
		.selectDistinct({ id: projects.id })
		.from(projects)
		.innerJoin(contributions, eq(contributions.projectId, projects.id))
		.where(
			and(
				eq(projects.status, 'cancelled'),
				eq(contributions.kind, 'money'),
				eq(contributions.status, 'pledged')
			)
		);
	return rows.map((r) => r.id);
}
