import { and, eq, sql } from 'drizzle-orm';
import { donateSchema, type DonateInput } from '$lib/shared/contributions/money';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { requireActor, type Actor } from '../../accounts';
import { isPublic } from '../../projects';
import { contributions } from '../../contributions/schema';
import { insertMoneyGift } from '../../contributions';
import { methodFor, type NextStep } from '../methods';

const OPEN = new Set(['published', 'funded', 'not_funded', 'in_progress']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What donate() reads, in one statement: the need, its project, and the gift this form made already. */
type Target = {
	kind: string;
	currency: string | null;
	deadline: Date | string | null;
	project_id: string;
	slug: string;
	status: string;
	published_at: Date | string | null;
	gift_id: string | null;
	gift_amount: string | number | null;
	gift_tip: string | number | null;
	gift_currency: string | null;
};

const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/**
 * Records a gift to a money need as pending and starts its payment. The form's idempotency key makes a
 * double click or a re-submitted form return the same gift instead of a second one.
 *
 * Two statements: one read (the need, its project, a gift with the same key), then the pending gift with
 * its audit row in one statement (atomic on its own). The unique index on (donor, key) settles a race
 * between two submits of the same form.
 */
export async function donate(
	actor: Actor | null,
	needId: string,
	input: DonateInput
): Promise<{ contributionId: string; next: NextStep }> {
	const me = requireActor(actor);
	const data = parseInput(donateSchema, input);
	const method = methodFor(data.method);
	if (!method) throw fieldError('method', 'contributions_error_method');
	if (!UUID.test(needId)) throw new AppError('not_found', 'error_not_found');
	const [row] = (
		await db().execute<Target>(sql`
			SELECT n.kind, n.currency, n.deadline, p.id AS project_id, p.slug, p.status, p.published_at,
				c.id AS gift_id, c.amount_minor AS gift_amount, c.tip_minor AS gift_tip, c.currency AS gift_currency
			FROM needs n JOIN projects p ON p.id = n.project_id
			LEFT JOIN contributions c ON c.contributor_id = ${me.id}::uuid AND c.idempotency_key = ${data.idempotencyKey}
			WHERE n.id = ${needId}::uuid`)
	).rows;
	if (!row || !isPublic({ status: row.status as never, publishedAt: asDate(row.published_at) }))
		throw new AppError('not_found', 'error_not_found');
	let gift: { id: string; amountMinor: number; tipMinor: number; currency: string } | undefined;
	if (row.gift_id) {
		gift = {
			id: row.gift_id,
			amountMinor: Number(row.gift_amount),
			tipMinor: Number(row.gift_tip ?? 0),
			currency: row.gift_currency!
		};
	} else {
		if (row.kind !== 'money') throw new AppError('validation', 'form_error_invalid');
		const deadline = asDate(row.deadline);
		if (!OPEN.has(row.status) || (deadline && deadline.getTime() < Date.now()))
			throw new AppError('conflict', 'contributions_error_closed');
		const c = await insertMoneyGift(
			db(),
			{
				projectId: row.project_id,
				needId,
				contributorId: me.id,
				status: 'pending',
				amountMinor: data.amountMinor,
				tipMinor: data.tipMinor,
				currency: row.currency!,
				paymentMethod: data.method,
				anonymous: data.anonymous,
				message: data.message,
				idempotencyKey: data.idempotencyKey
			},
			{ actorId: me.id, action: 'payments.gift_started', data: { method: data.method } }
		);
		if (c)
			gift = { id: c.id, amountMinor: data.amountMinor, tipMinor: data.tipMinor, currency: row.currency! };
		else {
			// A concurrent submit of the same form won the race: answer with its gift.
			const [same] = await db()
				.select()
				.from(contributions)
				.where(
					and(eq(contributions.contributorId, me.id), eq(contributions.idempotencyKey, data.idempotencyKey))
				);
			gift = {
				id: same.id,
				amountMinor: same.amountMinor!,
				tipMinor: same.tipMinor ?? 0,
				currency: same.currency!
			};
		}
	}
	const next = await method.start({
		id: gift.id,
		amountMinor: gift.amountMinor,
		tipMinor: gift.tipMinor,
		currency: gift.currency,
		projectSlug: row.slug
	});
	return { contributionId: gift.id, next };
}
