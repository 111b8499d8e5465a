import { and, eq } from 'drizzle-orm';
import { donateSchema, type DonateInput } from '$lib/shared/contributions/money';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { requireActor, type Actor } from '../../accounts';
import { isPublic } from '../../projects';
import { projects } from '../../projects/schema';
import { needs } from '../../needs/schema';
import { contributions } from '../../contributions/schema';
import { insertMoneyGift } from '../../contributions';
import { methodFor, type NextStep } from '../methods';

const OPEN = new Set(['published', 'funded', 'not_funded', 'in_progress']);

/**
 * Records a gift to a money need as pending and starts its payment. The form's idempotency key makes a
 * double click or a re-submitted form return the same gift instead of a second one.
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
	const { contribution, slug } = await db().transaction(async (tx) => {
		const [existing] = await tx
			.select()
			.from(contributions)
			.where(
				and(eq(contributions.contributorId, me.id), eq(contributions.idempotencyKey, data.idempotencyKey))
			);
		const [row] = await tx
			.select({ need: needs, project: projects })
			.from(needs)
			.innerJoin(projects, eq(projects.id, needs.projectId))
			.where(eq(needs.id, needId));
		if (!row || !isPublic(row.project)) throw new AppError('not_found', 'error_not_found');
		if (existing) return { contribution: existing, slug: row.project.slug };
		if (row.need.kind !== 'money') throw new AppError('validation', 'form_error_invalid');
		if (!OPEN.has(row.project.status) || (row.need.deadline && row.need.deadline.getTime() < Date.now()))
			throw new AppError('conflict', 'contributions_error_closed');
		const c = await insertMoneyGift(tx, {
			projectId: row.project.id,
			needId,
			contributorId: me.id,
			status: 'pending',
			amountMinor: data.amountMinor,
			tipMinor: data.tipMinor,
			currency: row.need.currency!,
			paymentMethod: data.method,
			anonymous: data.anonymous,
			message: data.message,
			idempotencyKey: data.idempotencyKey
		});
		if (!c) {
			// A concurrent submit of the same form won the race: answer with its gift.
			const [same] = await tx
				.select()
				.from(contributions)
				.where(
					and(eq(contributions.contributorId, me.id), eq(contributions.idempotencyKey, data.idempotencyKey))
				);
			return { contribution: same, slug: row.project.slug };
		}
		await audit(tx, {
			actorId: me.id,
			action: 'payments.gift_started',
			targetType: 'contribution',
			targetId: c.id,
			data: { method: data.method }
		});
		return { contribution: c, slug: row.project.slug };
	});
	const next = await method.start({
		id: contribution.id,
		amountMinor: contribution.amountMinor!,
		tipMinor: contribution.tipMinor ?? 0,
		currency: contribution.currency!,
		projectSlug: slug
	});
	return { contributionId: contribution.id, next };
}
