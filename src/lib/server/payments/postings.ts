// The ledger groups of a gift: its credit, and its refunds. Every payments path posts through these.
import { sql } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { postGroup, type AccountRef, type GroupInput } from '../ledger';
import type { Contribution } from '../contributions';

type GiftMoney = Pick<Contribution, 'id' | 'needId' | 'amountMinor' | 'tipMinor' | 'currency'>;

/** The gift's balanced group: provider clearing → campaign (+ tip to the platform, − fee). */
export function giftGroup(c: GiftMoney, providerEvent: string, feeMinor = 0): GroupInput {
	const amount = c.amountMinor!;
	const tip = c.tipMinor ?? 0;
	const currency = c.currency!;
	return {
		kind: 'gift',
		contributionId: c.id,
		providerEvent,
		entries: [
			{ account: { kind: 'provider_clearing', currency }, amountMinor: -(amount + tip - feeMinor) },
			...(feeMinor ? [{ account: { kind: 'fees' as const, currency }, amountMinor: -feeMinor }] : []),
			{ account: { kind: 'campaign', refId: c.needId, currency }, amountMinor: amount },
			...(tip ? [{ account: { kind: 'platform_tips' as const, currency }, amountMinor: tip }] : [])
		]
	};
}

/** Writes the gift's balanced group (see giftGroup). */
export async function creditGift(tx: Tx, c: GiftMoney, providerEvent: string, feeMinor = 0) {
	return postGroup(tx, giftGroup(c, providerEvent, feeMinor));
}

/** What the ledger holds of a gift: credited (campaign, tip) and refunded so far (campaign, tip). */
export async function giftPosition(exec: Executor, contributionId: string) {
	const [row] = (
		await exec.execute<{ credited: string; tip: string; refunded: string; tip_refunded: string }>(sql`
			SELECT
				coalesce(sum(e.amount_minor) FILTER (WHERE g.kind = 'gift' AND a.kind = 'campaign'), 0)::text AS credited,
				coalesce(sum(e.amount_minor) FILTER (WHERE g.kind = 'gift' AND a.kind = 'platform_tips'), 0)::text AS tip,
				coalesce(-sum(e.amount_minor) FILTER (WHERE g.kind = 'refund' AND a.kind = 'campaign'), 0)::text AS refunded,
				coalesce(-sum(e.amount_minor) FILTER (WHERE g.kind = 'refund' AND a.kind = 'platform_tips'), 0)::text AS tip_refunded
			FROM ledger_groups g JOIN ledger_entries e ON e.group_id = g.id JOIN ledger_accounts a ON a.id = e.account_id
			WHERE g.contribution_id = ${contributionId}`)
	).rows;
	return {
		credited: Number(row.credited),
		tip: Number(row.tip),
		refunded: Number(row.refunded),
		tipRefunded: Number(row.tip_refunded)
	};
}

/**
 * Writes a refund's balanced group: campaign (then the tip, for a refund larger than what is left of the
 * gift, as Stripe's dashboard allows) → provider clearing. Never more than the ledger credited: returns
 * `{ group: null, posted: 0 }` when the refund was recorded already (same provider event) or nothing is left.
 */
export async function debitRefund(
	tx: Tx,
	c: Contribution,
	amountMinor: number,
	providerEvent: string,
	memo = ''
): Promise<{ group: string | null; posted: number; fullyRefunded: boolean }> {
	const pos = await giftPosition(tx, c.id);
	const fromCampaign = Math.min(amountMinor, pos.credited - pos.refunded);
	const fromTip = Math.min(amountMinor - fromCampaign, pos.tip - pos.tipRefunded);
	const posted = Math.max(0, fromCampaign) + Math.max(0, fromTip);
	const currency = c.currency!;
	const fully = (left: number) => left <= 0;
	if (posted <= 0) return { group: null, posted: 0, fullyRefunded: fully(pos.credited - pos.refunded) };
	const group = await postGroup(tx, {
		kind: 'refund',
		contributionId: c.id,
		providerEvent,
		memo,
		entries: [
			...(fromCampaign > 0
				? [{ account: { kind: 'campaign' as const, refId: c.needId, currency }, amountMinor: -fromCampaign }]
				: []),
			...(fromTip > 0
				? [{ account: { kind: 'platform_tips' as const, currency }, amountMinor: -fromTip }]
				: []),
			{ account: { kind: 'provider_clearing', currency }, amountMinor: posted }
		]
	});
	return {
		group,
		posted: group ? posted : 0,
		fullyRefunded: fully(pos.credited - pos.refunded - (group ? Math.max(0, fromCampaign) : 0))
	};
}

/**
 * Reverses a refund group that the provider later reports failed (a refund can fail after it
 * succeeded, e.g. to a closed card): the same entries with the opposite sign, as a refund group keyed
 * `reversalEvent`, so what the gift has refunded goes back down. Null when there is nothing to reverse or
 * it was reversed already.
 */
export async function reverseRefund(
	tx: Tx,
	c: Contribution,
	refundEvent: string,
	reversalEvent: string
): Promise<string | null> {
	const entries = (
		await tx.execute<{
			kind: AccountRef['kind'];
			ref_id: string | null;
			currency: string;
			amount: string;
		}>(sql`
			SELECT a.kind, a.ref_id, a.currency, e.amount_minor::text AS amount
			FROM ledger_groups g JOIN ledger_entries e ON e.group_id = g.id JOIN ledger_accounts a ON a.id = e.account_id
			WHERE g.provider_event = ${refundEvent} AND g.contribution_id = ${c.id} AND g.kind = 'refund'`)
	).rows;
	if (!entries.length) return null;
	return postGroup(tx, {
		kind: 'refund',
		contributionId: c.id,
		providerEvent: reversalEvent,
		memo: 'refund failed at the provider',
		entries: entries.map((e) => ({
			account: { kind: e.kind, refId: e.ref_id, currency: e.currency },
			amountMinor: -Number(e.amount)
		}))
	});
}
