// A project's needs as its pages and cards show them. The needs domain owns and writes these tables (and
// imports projects for its policy); projects reads them here with plain SQL (needs, shifts), so that projects
// never imports the needs domain and the two stay free of an import cycle (src/lib/server/boundaries.test.ts).
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
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

type NeedRow = {
	id: string;
	project_id: string;
	stage_id: string | null;
	kind: NeedKind;
	title: string;
	description: string;
	goal_minor: string | number | null;
	currency: string | null;
	campaign_model: string | null;
	deadline: string | Date | null;
	role: string | null;
	skills: string[] | null;
	quantity: number | null;
	unit: string | null;
	material_mode: string | null;
	return_by: string | null;
	dropoff: string | null;
	skill: string | null;
	hours: number | null;
	fulfilled: number;
	/** Volunteers: the shifts' places and places taken, summed (cards) … */
	capacity_sum: string | number | null;
	taken_sum: string | number | null;
	/** … or the shifts themselves (pages), as JSON. */
	shift_list:
		| { id: string; starts_at: string; ends_at: string; place: string; capacity: number; taken: number }[]
		| null;
};

/**
 * The needs of several projects with their progress, in one query whatever the number of projects (no
 * N+1), plus one for money needs: what they received comes from the ledger. Only the columns shown are
 * read, by a plain SQL statement (no query builder, no `SELECT *`).
 *
 * `shifts: 'list'` (project pages, the default) returns each volunteer need's shifts; `shifts: 'sum'`
 * (listings and cards) adds up their places and places taken into `target` and `fulfilled` in SQL and
 * returns `shifts: []`, so a listing does not fetch and parse every shift of its twenty projects.
 */
export async function needsForProjects(
	exec: Executor,
	projectIds: string[],
	options: { shifts?: 'list' | 'sum' } = {}
): Promise<Map<string, NeedView[]>> {
	const result = new Map<string, NeedView[]>(projectIds.map((id) => [id, []]));
	if (projectIds.length === 0) return result;
	const list = options.shifts !== 'sum';
	const shiftColumns = list
		? sql`NULL::bigint AS capacity_sum, NULL::bigint AS taken_sum,
			CASE WHEN n.kind = 'volunteers' THEN (SELECT json_agg(json_build_object('id', s.id, 'starts_at', s.starts_at,
				'ends_at', s.ends_at, 'place', s.place, 'capacity', s.capacity, 'taken', s.taken) ORDER BY s.starts_at, s.id)
				FROM shifts s WHERE s.need_id = n.id) END AS shift_list`
		: sql`sh.capacity_sum, sh.taken_sum, NULL::json AS shift_list`;
	const shiftJoin = list
		? sql``
		: sql`LEFT JOIN LATERAL (SELECT sum(s.capacity) AS capacity_sum, sum(s.taken) AS taken_sum
				FROM shifts s WHERE s.need_id = n.id AND n.kind = 'volunteers') sh ON true`;
	const ids = sql.join(
		projectIds.map((id) => sql`${id}`),
		sql`, `
	);
	const rows = (
		await exec.execute<NeedRow>(sql`
			SELECT n.id, n.project_id, n.stage_id, n.kind, n.title, n.description, n.goal_minor, n.currency,
				n.campaign_model, n.deadline, n.role, n.skills, n.quantity, n.unit, n.material_mode,
				n.return_by::text AS return_by, n.dropoff, n.skill, n.hours, n.fulfilled, ${shiftColumns}
			FROM needs n ${shiftJoin}
			WHERE n.project_id IN (${ids})
			ORDER BY n.position, n.created_at, n.id`)
	).rows;
	await addNeedViews(exec, rows, result, list);
	return result;
}

/**
 * Adds the needs of `rows` to `result` (by project, in the rows' order) with their progress: what money
 * needs received comes from the ledger, in one query for all of them.
 */
async function addNeedViews(
	exec: Executor,
	rows: NeedRow[],
	result: Map<string, NeedView[]>,
	list: boolean
): Promise<void> {
	const moneyIds = rows.filter((r) => r.kind === 'money').map((r) => r.id);
	const raised = moneyIds.length ? await campaignBalances(exec, moneyIds) : new Map<string, number>();
	for (const n of rows) {
		const needShifts: ShiftView[] = (n.shift_list ?? []).map((s) => ({
			id: s.id,
			startsAt: new Date(s.starts_at),
			endsAt: new Date(s.ends_at),
			place: s.place,
			capacity: s.capacity,
			taken: s.taken
		}));
		let target = 0;
		let fulfilled = 0;
		let unit: string | null = null;
		switch (n.kind) {
			case 'money':
				target = Number(n.goal_minor ?? 0);
				fulfilled = raised.get(n.id) ?? 0;
				unit = n.currency;
				break;
			case 'volunteers':
				target = list ? needShifts.reduce((sum, s) => sum + s.capacity, 0) : Number(n.capacity_sum ?? 0);
				fulfilled = list ? needShifts.reduce((sum, s) => sum + s.taken, 0) : Number(n.taken_sum ?? 0);
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
		let views = result.get(n.project_id);
		if (!views) result.set(n.project_id, (views = []));
		views.push({
			id: n.id,
			projectId: n.project_id,
			stageId: n.stage_id,
			kind: n.kind,
			title: n.title,
			description: n.description,
			target,
			fulfilled,
			unit,
			currency: n.currency,
			campaignModel: n.campaign_model,
			deadline: n.deadline === null ? null : new Date(n.deadline),
			role: n.role,
			skills: n.skills ?? [],
			materialMode: n.material_mode,
			returnBy: n.return_by,
			dropoff: n.dropoff,
			skill: n.skill,
			shifts: needShifts
		});
	}
}

/** The columns of a need as needsForProjects reads them, shifts summed (`shift_list` null). */
const NEED_FIELDS = sql`'id', n.id, 'project_id', n.project_id, 'stage_id', n.stage_id, 'kind', n.kind, 'title', n.title,
	'description', n.description, 'goal_minor', n.goal_minor, 'currency', n.currency, 'campaign_model', n.campaign_model,
	'deadline', n.deadline, 'role', n.role, 'skills', n.skills, 'quantity', n.quantity, 'unit', n.unit,
	'material_mode', n.material_mode, 'return_by', n.return_by, 'dropoff', n.dropoff, 'skill', n.skill, 'hours', n.hours,
	'fulfilled', n.fulfilled, 'capacity_sum', sh.capacity_sum, 'taken_sum', sh.taken_sum`;

/**
 * The needs of the project `p` of a listing's statement as one JSON array (shifts summed, as
 * `needsForProjects(…, { shifts: 'sum' })`): the listing reads its cards and their needs in one
 * statement, and `needsFromJson` finishes them.
 */
export const cardNeedsJson = sql`(SELECT json_agg(json_build_object(${NEED_FIELDS}) ORDER BY n.position, n.created_at, n.id)
	FROM needs n LEFT JOIN LATERAL (SELECT sum(s.capacity) AS capacity_sum, sum(s.taken) AS taken_sum
		FROM shifts s WHERE s.need_id = n.id AND n.kind = 'volunteers') sh ON true
	WHERE n.project_id = p.id)`;

/** The needs read by `cardNeedsJson`, by project, with what money needs received (one ledger query). */
export async function needsFromJson(
	exec: Executor,
	projectIds: string[],
	needs: unknown[]
): Promise<Map<string, NeedView[]>> {
	const result = new Map<string, NeedView[]>(projectIds.map((id) => [id, []]));
	await addNeedViews(exec, needs as NeedRow[], result, false);
	return result;
}
