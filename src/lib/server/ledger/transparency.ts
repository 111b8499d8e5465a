import { eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { AppError } from '../platform/errors';
import { projects } from '../projects/schema';

/** A project's money in and out in one currency, every figure in minor units, from the ledger. */
export interface MoneyTotals {
	currency: string;
	/** What gifts credited to the project's campaigns (tips to the platform excluded). */
	givenMinor: number;
	/** How many people gave (distinct contributors of credited gifts). */
	donors: number;
	/** Given back to donors. */
	refundedMinor: number;
	/** Payment providers' fees on the project's gifts. */
	feesMinor: number;
	/** Paid out to the project's carrier. */
	paidOutMinor: number;
	/** Corrections entered by the administrators (signed). */
	correctionsMinor: number;
	/** What the project's campaigns hold now: given − refunded − paid out ± corrections. */
	balanceMinor: number;
}

/** One credited gift in the public list, as its donor chose to appear. */
export interface PublicGift {
	id: string;
	/** As the donor chose: a name or anonymous; a deleted account shows as deleted. No name leaks otherwise. */
	donor: { kind: 'named'; name: string } | { kind: 'anonymous' } | { kind: 'deleted' };
	amountMinor: number;
	refundedMinor: number;
	currency: string;
	needTitle: string;
	at: Date;
}

/** How many gifts the public list shows at most (the totals count them all). */
export const PUBLIC_GIFTS_LIMIT = 500;

type TotalsRow = {
	currency: string;
	given: string;
	donors: number;
	refunded: string;
	fees: string;
	paid_out: string;
	corrections: string;
	balance: string;
};

type GiftRow = {
	id: string;
	anonymous: boolean | null;
	deleted: boolean | null;
	name: string | null;
	amount: string;
	refunded: string;
	currency: string;
	need_title: string;
	at: Date | string;
};

/**
 * The public, per-project account of money in and out (capability 7). Every figure is derived from the
 * ledger: the project's campaign accounts (one per money need and currency) and the groups that touch
 * them or name one of its contributions; never from the amounts written on contributions. The caller
 * decides who may read it (projects' `visibleProjectBySlug`): the ledger knows no project rule, so that
 * projects → ledger stays the only direction between them.
 */
export async function projectMoney(projectId: string) {
	const [p] = await db()
		.select({ id: projects.id, slug: projects.slug, title: projects.title })
		.from(projects)
		.where(eq(projects.id, projectId));
	if (!p) throw new AppError('not_found', 'error_not_found');
	const scope = sql`
		campaign AS (
			SELECT a.id FROM ledger_accounts a JOIN needs n ON n.id = a.ref_id
			WHERE a.kind = 'campaign' AND n.project_id = ${projectId}
		),
		project_groups AS (
			SELECT e.group_id AS id FROM ledger_entries e JOIN campaign c ON c.id = e.account_id
			UNION
			SELECT g.id FROM ledger_groups g JOIN contributions k ON k.id = g.contribution_id
			WHERE k.project_id = ${projectId}
		)`;
	const [totals, gifts] = await Promise.all([
		db().execute<TotalsRow>(sql`
			WITH ${scope}
			SELECT e.currency,
				coalesce(sum(e.amount_minor) FILTER (WHERE c.id IS NOT NULL AND g.kind = 'gift'), 0)::text AS given,
				count(DISTINCT k.contributor_id) FILTER (WHERE c.id IS NOT NULL AND g.kind = 'gift')::int AS donors,
				coalesce(-sum(e.amount_minor) FILTER (WHERE c.id IS NOT NULL AND g.kind = 'refund'), 0)::text AS refunded,
				coalesce(-sum(e.amount_minor) FILTER (WHERE a.kind = 'fees'), 0)::text AS fees,
				coalesce(-sum(e.amount_minor) FILTER (WHERE c.id IS NOT NULL AND g.kind = 'payout'), 0)::text AS paid_out,
				coalesce(sum(e.amount_minor) FILTER (WHERE c.id IS NOT NULL AND g.kind IN ('correction', 'fee')), 0)::text AS corrections,
				coalesce(sum(e.amount_minor) FILTER (WHERE c.id IS NOT NULL), 0)::text AS balance
			FROM project_groups pg
			JOIN ledger_groups g ON g.id = pg.id
			JOIN ledger_entries e ON e.group_id = g.id
			JOIN ledger_accounts a ON a.id = e.account_id
			LEFT JOIN campaign c ON c.id = a.id
			LEFT JOIN contributions k ON k.id = g.contribution_id
			GROUP BY e.currency
			ORDER BY e.currency`),
		db().execute<GiftRow>(sql`
			WITH ${scope},
			refunds AS (
				SELECT g.contribution_id, -sum(e.amount_minor) AS amount
				FROM project_groups pg JOIN ledger_groups g ON g.id = pg.id
				JOIN ledger_entries e ON e.group_id = g.id JOIN campaign c ON c.id = e.account_id
				WHERE g.kind = 'refund' AND g.contribution_id IS NOT NULL
				GROUP BY g.contribution_id
			)
			SELECT g.id, k.anonymous, u.deleted_at IS NOT NULL AS deleted,
				CASE WHEN k.anonymous OR u.deleted_at IS NOT NULL THEN NULL ELSE u.display_name END AS name,
				e.amount_minor::text AS amount, coalesce(r.amount, 0)::text AS refunded, e.currency,
				coalesce(n.title, '') AS need_title, g.created_at AS at
			FROM project_groups pg
			JOIN ledger_groups g ON g.id = pg.id AND g.kind = 'gift'
			JOIN ledger_entries e ON e.group_id = g.id
			JOIN campaign c ON c.id = e.account_id
			JOIN ledger_accounts a ON a.id = e.account_id
			LEFT JOIN needs n ON n.id = a.ref_id
			LEFT JOIN contributions k ON k.id = g.contribution_id
			LEFT JOIN users u ON u.id = k.contributor_id
			LEFT JOIN refunds r ON r.contribution_id = g.contribution_id
			ORDER BY g.created_at DESC, g.id
			LIMIT ${PUBLIC_GIFTS_LIMIT}`)
	]);
	const money: MoneyTotals[] = totals.rows.map((r) => ({
		currency: r.currency,
		givenMinor: Number(r.given),
		donors: Number(r.donors),
		refundedMinor: Number(r.refunded),
		feesMinor: Number(r.fees),
		paidOutMinor: Number(r.paid_out),
		correctionsMinor: Number(r.corrections),
		balanceMinor: Number(r.balance)
	}));
	const list: PublicGift[] = gifts.rows.map((r) => ({
		id: r.id,
		donor: r.anonymous
			? { kind: 'anonymous' }
			: r.deleted
				? { kind: 'deleted' }
				: r.name === null
					? { kind: 'anonymous' }
					: { kind: 'named', name: r.name },
		amountMinor: Number(r.amount),
		refundedMinor: Number(r.refunded),
		currency: r.currency,
		needTitle: r.need_title,
		at: new Date(r.at)
	}));
	return {
		project: { id: p.id, slug: p.slug, title: p.title },
		totals: money,
		gifts: list,
		/** True when there are more gifts than the list shows. */
		truncated: list.length === PUBLIC_GIFTS_LIMIT
	};
}
