// A project's needs as its pages and cards show them. The needs domain owns and writes these tables (and
// imports projects for its policy); projects reads them here through the needs' schema, so that projects
// never imports the needs domain and the two stay free of an import cycle (src/lib/server/boundaries.test.ts).
import { asc, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { needs, shifts } from '../needs/schema';
import type { NeedKind } from '$lib/shared/projects/enums';
import { campaignBalances } from '../ledger';

export interface ShiftView {
	id: string;
	startsAt: Date;
	endsAt: Date;
	place: string;
	capacity: number;
	taken: number;
}

/** A need with its measure: `target` and `fulfilled` in minor units (money), people, items or hours. */
export interface NeedView {
	id: string;
	projectId: string;
	stageId: string | null;
	kind: NeedKind;
	title: string;
	description: string;
	target: number;
	fulfilled: number;
	unit: string | null;
	currency: string | null;
	campaignModel: string | null;
	deadline: Date | null;
	role: string | null;
	skills: string[];
	materialMode: string | null;
	returnBy: string | null;
	dropoff: string | null;
	skill: string | null;
	shifts: ShiftView[];
}

/**
 * The needs of several projects with their shifts and progress, in two queries whatever the number of
 * projects (no N+1), plus one for money needs: what they received comes from the ledger.
 */
export async function needsForProjects(
	exec: Executor,
	projectIds: string[]
): Promise<Map<string, NeedView[]>> {
	const result = new Map<string, NeedView[]>(projectIds.map((id) => [id, []]));
	if (projectIds.length === 0) return result;
	const rows = await exec
		.select()
		.from(needs)
		.where(inArray(needs.projectId, projectIds))
		.orderBy(asc(needs.position), asc(needs.createdAt));
	const shiftRows = rows.some((r) => r.kind === 'volunteers')
		? await exec
				.select()
				.from(shifts)
				.where(
					inArray(
						shifts.needId,
						rows.filter((r) => r.kind === 'volunteers').map((r) => r.id)
					)
				)
				.orderBy(asc(shifts.startsAt))
		: [];
	const moneyIds = rows.filter((r) => r.kind === 'money').map((r) => r.id);
	const raised = moneyIds.length ? await campaignBalances(exec, moneyIds) : new Map<string, number>();
	const shiftsByNeed = new Map<string, ShiftView[]>();
	for (const s of shiftRows) {
		const list = shiftsByNeed.get(s.needId) ?? [];
		list.push({
			id: s.id,
			startsAt: s.startsAt,
			endsAt: s.endsAt,
			place: s.place,
			capacity: s.capacity,
			taken: s.taken
		});
		shiftsByNeed.set(s.needId, list);
	}
	for (const n of rows) {
		const needShifts = shiftsByNeed.get(n.id) ?? [];
		let target = 0;
		let fulfilled = 0;
		let unit: string | null = null;
		switch (n.kind) {
			case 'money':
				target = n.goalMinor ?? 0;
				fulfilled = raised.get(n.id) ?? 0;
				unit = n.currency;
				break;
			case 'volunteers':
				target = needShifts.reduce((sum, s) => sum + s.capacity, 0);
				fulfilled = needShifts.reduce((sum, s) => sum + s.taken, 0);
				unit = 'people';
				break;
			case 'material':
				target = n.quantity ?? 0;
				fulfilled = n.fulfilled;
				unit = n.unit || 'items';
				break;
			case 'expertise':
				target = n.hours ?? 0;
				fulfilled = n.fulfilled;
				unit = 'hours';
				break;
		}
		result.get(n.projectId)?.push({
			id: n.id,
			projectId: n.projectId,
			stageId: n.stageId,
			kind: n.kind,
			title: n.title,
			description: n.description,
			target,
			fulfilled,
			unit,
			currency: n.currency,
			campaignModel: n.campaignModel,
			deadline: n.deadline,
			role: n.role,
			skills: n.skills ?? [],
			materialMode: n.materialMode,
			returnBy: n.returnBy,
			dropoff: n.dropoff,
			skill: n.skill,
			shifts: needShifts
		});
	}
	return result;
}
