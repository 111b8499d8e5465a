import { and, eq, sql } from 'drizzle-orm';
import {
	pledgeMaterialSchema,
	offerExpertiseSchema,
	type PledgeMaterialInput,
	type OfferExpertiseInput
} from '$lib/shared/contributions/schemas';
import { db, type Tx } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { requireActor, type Actor } from '../../accounts';
import { isPublic, requireTeam } from '../../projects';
import { projects } from '../../projects/schema';
import { needs, shifts } from '../../needs/schema';
import { contributions } from '../schema';

/** States in which a project accepts contributions. */
const OPEN = new Set(['published', 'funded', 'not_funded', 'in_progress']);

async function openNeed(tx: Tx, needId: string, kind: 'volunteers' | 'material' | 'expertise') {
	const [row] = await tx
		.select({ need: needs, project: projects })
		.from(needs)
		.innerJoin(projects, eq(projects.id, needs.projectId))
		.where(eq(needs.id, needId));
	if (!row || !isPublic(row.project)) throw new AppError('not_found', 'error_not_found');
	if (row.need.kind !== kind) throw new AppError('validation', 'form_error_invalid');
	if (!OPEN.has(row.project.status)) throw new AppError('conflict', 'contributions_error_closed');
	return row;
}

async function ownContribution(tx: Tx, actor: Actor, contributionId: string) {
	const [c] = await tx.select().from(contributions).where(eq(contributions.id, contributionId)).for('update');
	if (!c) throw new AppError('not_found', 'error_not_found');
	if (c.contributorId !== actor.id) throw new AppError('forbidden', 'error_forbidden');
	return c;
}

async function teamContribution(tx: Tx, actor: Actor | null, contributionId: string) {
	const [c] = await tx.select().from(contributions).where(eq(contributions.id, contributionId)).for('update');
	if (!c) throw new AppError('not_found', 'error_not_found');
	await requireTeam(tx, actor, c.projectId);
	return c;
}

function setStatus(
	tx: Tx,
	id: string,
	status: (typeof contributions.$inferSelect)['status'],
	extra: Partial<typeof contributions.$inferInsert> = {}
) {
	return tx
		.update(contributions)
		.set({ ...extra, status, updatedAt: new Date() })
		.where(eq(contributions.id, id));
}

// --- volunteers ---------------------------------------------------------------------------------

/**
 * Signs the person up for a shift. The place is claimed with one conditional UPDATE
 * (taken < capacity), so a shift of 3 gets 3 people whatever the concurrency.
 */
export async function signUpForShift(actor: Actor | null, shiftId: string, message = ''): Promise<string> {
	const me = requireActor(actor);
	return db().transaction(async (tx) => {
		const [shift] = await tx.select().from(shifts).where(eq(shifts.id, shiftId));
		if (!shift) throw new AppError('not_found', 'error_not_found');
		const { need } = await openNeed(tx, shift.needId, 'volunteers');
		if (shift.startsAt.getTime() < Date.now())
			throw new AppError('conflict', 'contributions_error_shift_past');
		const [c] = await tx
			.insert(contributions)
			.values({
				projectId: need.projectId,
				needId: need.id,
				kind: 'volunteers',
				contributorId: me.id,
				status: 'signed_up',
				shiftId,
				message: message.slice(0, 1000)
			})
			.onConflictDoNothing()
			.returning({ id: contributions.id });
		if (!c) throw new AppError('conflict', 'contributions_error_already_signed_up');
		const claimed = await tx
			.update(shifts)
			.set({ taken: sql`${shifts.taken} + 1` })
			.where(and(eq(shifts.id, shiftId), sql`${shifts.taken} < ${shifts.capacity}`))
			.returning({ id: shifts.id });
		if (!claimed.length) throw new AppError('conflict', 'contributions_error_shift_full');
		return c.id;
	});
}

/** The volunteer cancels their own sign-up; the place is freed. */
export async function cancelSignup(actor: Actor | null, contributionId: string): Promise<void> {
	const me = requireActor(actor);
	await db().transaction(async (tx) => {
		const c = await ownContribution(tx, me, contributionId);
		if (c.kind !== 'volunteers' || c.status !== 'signed_up')
			throw new AppError('conflict', 'contributions_error_cannot_cancel');
		await setStatus(tx, c.id, 'cancelled');
		await tx
			.update(shifts)
			.set({ taken: sql`${shifts.taken} - 1` })
			.where(eq(shifts.id, c.shiftId!));
	});
}

/** The team marks a volunteer attended (the shift's hours count) or absent. */
export async function markAttendance(
	actor: Actor | null,
	contributionId: string,
	attended: boolean
): Promise<void> {
	await db().transaction(async (tx) => {
		const c = await teamContribution(tx, actor, contributionId);
		if (c.kind !== 'volunteers' || !['signed_up', 'attended', 'absent'].includes(c.status))
			throw new AppError('conflict', 'contributions_error_transition');
		const [shift] = await tx.select().from(shifts).where(eq(shifts.id, c.shiftId!));
		// Attendance is a fact about a shift that has begun.
		if (shift.startsAt.getTime() > Date.now())
			throw new AppError('conflict', 'contributions_error_shift_not_started');
		const hours = Math.max(1, Math.round((shift.endsAt.getTime() - shift.startsAt.getTime()) / 3600_000));
		await setStatus(tx, c.id, attended ? 'attended' : 'absent', { hoursCounted: attended ? hours : 0 });
	});
}

// --- material -----------------------------------------------------------------------------------

/**
 * Pledges items, given or lent. Claimed with one conditional UPDATE (fulfilled + n <= quantity):
 * a need of 10 chairs gets 10 pledged chairs whatever the concurrency.
 */
export async function pledgeMaterial(
	actor: Actor | null,
	needId: string,
	input: PledgeMaterialInput
): Promise<string> {
	const me = requireActor(actor);
	const data = parseInput(pledgeMaterialSchema, input);
	return db().transaction(async (tx) => {
		const { need } = await openNeed(tx, needId, 'material');
		const claimed = await tx
			.update(needs)
			.set({ fulfilled: sql`${needs.fulfilled} + ${data.quantity}` })
			.where(and(eq(needs.id, needId), sql`${needs.fulfilled} + ${data.quantity} <= ${needs.quantity}`))
			.returning({ id: needs.id });
		if (!claimed.length) throw fieldError('quantity', 'contributions_error_material_exceeds');
		const [c] = await tx
			.insert(contributions)
			.values({
				projectId: need.projectId,
				needId,
				kind: 'material',
				contributorId: me.id,
				status: 'pledged',
				quantity: data.quantity,
				materialMode: data.materialMode,
				returnBy: data.materialMode === 'lend' ? data.returnBy : null,
				message: data.message
			})
			.returning({ id: contributions.id });
		return c.id;
	});
}

/** The contributor cancels a pledge not yet received; the quantity is freed. */
export async function cancelPledge(actor: Actor | null, contributionId: string): Promise<void> {
	const me = requireActor(actor);
	await db().transaction(async (tx) => {
		const c = await ownContribution(tx, me, contributionId);
		if (c.kind !== 'material' || c.status !== 'pledged')
			throw new AppError('conflict', 'contributions_error_cannot_cancel');
		await setStatus(tx, c.id, 'cancelled');
		await tx
			.update(needs)
			.set({ fulfilled: sql`${needs.fulfilled} - ${c.quantity!}` })
			.where(eq(needs.id, c.needId));
	});
}

/** The team confirms it received the items (and, for a loan, that it gave them back). */
export async function markMaterial(
	actor: Actor | null,
	contributionId: string,
	to: 'received' | 'returned'
): Promise<void> {
	await db().transaction(async (tx) => {
		const c = await teamContribution(tx, actor, contributionId);
		const ok =
			c.kind === 'material' &&
			((to === 'received' && c.status === 'pledged') ||
				(to === 'returned' && c.status === 'received' && c.materialMode === 'lend'));
		if (!ok) throw new AppError('conflict', 'contributions_error_transition');
		await setStatus(tx, c.id, to);
	});
}

// --- expertise ----------------------------------------------------------------------------------

/** Offers hours of expertise; the offered hours are reserved against the need (conditional update). */
export async function offerExpertise(
	actor: Actor | null,
	needId: string,
	input: OfferExpertiseInput
): Promise<string> {
	const me = requireActor(actor);
	const data = parseInput(offerExpertiseSchema, input);
	return db().transaction(async (tx) => {
		const { need } = await openNeed(tx, needId, 'expertise');
		const claimed = await tx
			.update(needs)
			.set({ fulfilled: sql`${needs.fulfilled} + ${data.hours}` })
			.where(and(eq(needs.id, needId), sql`${needs.fulfilled} + ${data.hours} <= ${needs.hours}`))
			.returning({ id: needs.id });
		if (!claimed.length) throw fieldError('hours', 'contributions_error_hours_exceed');
		const [c] = await tx
			.insert(contributions)
			.values({
				projectId: need.projectId,
				needId,
				kind: 'expertise',
				contributorId: me.id,
				status: 'offered',
				hours: data.hours,
				message: data.message
			})
			.returning({ id: contributions.id });
		return c.id;
	});
}

/** The team accepts or declines an offer (declining frees the hours), or marks accepted hours delivered. */
export async function decideExpertise(
	actor: Actor | null,
	contributionId: string,
	to: 'accepted' | 'declined' | 'delivered'
): Promise<void> {
	await db().transaction(async (tx) => {
		const c = await teamContribution(tx, actor, contributionId);
		const from = { accepted: ['offered'], declined: ['offered'], delivered: ['accepted'] }[to];
		if (c.kind !== 'expertise' || !from.includes(c.status))
			throw new AppError('conflict', 'contributions_error_transition');
		await setStatus(tx, c.id, to);
		if (to === 'declined')
			await tx
				.update(needs)
				.set({ fulfilled: sql`${needs.fulfilled} - ${c.hours!}` })
				.where(eq(needs.id, c.needId));
	});
}

/** The contributor withdraws an offer not yet accepted. */
export async function cancelOffer(actor: Actor | null, contributionId: string): Promise<void> {
	const me = requireActor(actor);
	await db().transaction(async (tx) => {
		const c = await ownContribution(tx, me, contributionId);
		if (c.kind !== 'expertise' || c.status !== 'offered')
			throw new AppError('conflict', 'contributions_error_cannot_cancel');
		await setStatus(tx, c.id, 'cancelled');
		await tx
			.update(needs)
			.set({ fulfilled: sql`${needs.fulfilled} - ${c.hours!}` })
			.where(eq(needs.id, c.needId));
	});
}
