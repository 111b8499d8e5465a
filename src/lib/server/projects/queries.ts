import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { db, type Executor } from '../db/client';
import { AppError } from '../platform/errors';
import type { Actor } from '../accounts';
import { users } from '../accounts/schema';
import { cardNeedsJson, needsForProjects, needsFromJson, type NeedView } from './needs-view';
import { projects, projectMembers, stages, projectTransitions, projectInvitations } from './schema';
import { publicStatuses, type ProjectStatus } from '$lib/shared/projects/enums';
import { LISTED_MAX, type ProjectFilters } from '$lib/shared/projects/schemas';
import { searchQuery } from './search';
import { canSeeProject, teamRole, type ProjectRow } from './policy';

export interface LocalName {
	slug: string;
	nameFr: string;
	nameEn: string;
}

/** A project as listed (cards, API). */
export interface ProjectCard {
	id: string;
	slug: string;
	title: string;
	summary: string;
	status: ProjectStatus;
	coverImage: string | null;
	coverAlt: string;
	territory: LocalName;
	themes: LocalName[];
	lat: number | null;
	lng: number | null;
	address: string;
	publishedAt: Date | null;
	startsOn: string | null;
	endsOn: string | null;
	distanceKm: number | null;
	needs: NeedView[];
}

const PUBLIC = sql`p.status IN (${sql.join(
	publicStatuses.map((s) => sql`${s}`),
	sql`, `
)}) AND p.published_at <= now()`;

/** Great-circle distance in km from a point (plain SQL haversine: no superuser-only extension needed). */
function distanceKm(lat: number, lng: number): SQL {
	return sql`(6371 * 2 * asin(sqrt(power(sin(radians(p.lat - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(p.lat)) * power(sin(radians(p.lng - ${lng}) / 2), 2))))`;
}

/** The WHERE clause for public listings with filters (shared by the page, the API and GeoJSON). */
function publicWhere(f: ProjectFilters, query: SQL | null): SQL {
	const parts: SQL[] = [PUBLIC];
	if (f.status) parts.push(sql`p.status = ${f.status}`);
	// Territory (with everything below it), theme and need kind: one condition on the facets index
	// (migration 0010), whatever their mix.
	const facets = [
		...(f.territory ? [`t:${f.territory}`] : []),
		...(f.theme ? [`th:${f.theme}`] : []),
		...(f.need ? [`n:${f.need}`] : [])
	];
	if (facets.length)
		parts.push(
			sql`p.facets @> ARRAY[${sql.join(
				facets.map((v) => sql`${v}`),
				sql`, `
			)}]::text[]`
		);
	if (f.near && f.radius_km) {
		const [lat, lng] = f.near;
		const dLat = f.radius_km / 111.2;
		const dLng = f.radius_km / (111.2 * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
		// Bounding box first (indexed), then the exact distance.
		parts.push(
			sql`p.lat BETWEEN ${lat - dLat} AND ${lat + dLat} AND p.lng BETWEEN ${lng - dLng} AND ${lng + dLng}`
		);
		parts.push(sql`${distanceKm(lat, lng)} <= ${f.radius_km}`);
	}
	if (query) parts.push(sql`p.search_vector @@ ${query}`);
	return sql.join(parts, sql` AND `);
}

function orderBy(f: ProjectFilters, query: SQL | null): SQL {
	const sort = f.sort ?? (f.q ? 'relevance' : 'newest');
	switch (sort) {
		case 'relevance':
			return query
				? sql`ts_rank_cd(p.search_vector, ${query}) DESC, p.published_at DESC, p.id`
				: sql`p.published_at DESC, p.id`;
		case 'ending_soon':
			// Open campaigns first, soonest end first; the end is the project's end date or its money deadline.
			return sql`(ending.at IS NULL OR ending.at < now()) ASC, ending.at ASC, p.published_at DESC, p.id`;
		case 'closest':
			return f.near
				? sql`${distanceKm(f.near[0], f.near[1])} ASC NULLS LAST, p.id`
				: sql`p.published_at DESC, p.id`;
		default:
			return sql`p.published_at DESC, p.id`;
	}
}

type CardRow = {
	id: string;
	slug: string;
	title: string;
	summary: string;
	status: ProjectStatus;
	cover_image: string | null;
	cover_alt: string;
	lat: number | null;
	lng: number | null;
	address: string;
	published_at: string | Date | null;
	starts_on: string | null;
	ends_on: string | null;
	distance_km: number | null;
	territory: LocalName;
	themes: LocalName[] | null;
};

const CARD_COLUMNS = sql`p.id, p.slug, p.title, p.summary, p.status, p.cover_image, p.cover_alt, p.lat, p.lng, p.address,
	p.published_at, p.starts_on::text AS starts_on, p.ends_on::text AS ends_on,
	json_build_object('slug', t.slug, 'nameFr', t.name_fr, 'nameEn', t.name_en) AS territory,
	(SELECT json_agg(json_build_object('slug', th.slug, 'nameFr', th.name_fr, 'nameEn', th.name_en) ORDER BY th.position)
		FROM project_themes pt JOIN themes th ON th.id = pt.theme_id WHERE pt.project_id = p.id) AS themes`;

function toCard(r: CardRow, needs: NeedView[]): ProjectCard {
	return {
		id: r.id,
		slug: r.slug,
		title: r.title,
		summary: r.summary,
		status: r.status,
		coverImage: r.cover_image,
		coverAlt: r.cover_alt,
		territory: r.territory,
		themes: r.themes ?? [],
		lat: r.lat === null ? null : Number(r.lat),
		lng: r.lng === null ? null : Number(r.lng),
		address: r.address,
		publishedAt: r.published_at ? new Date(r.published_at) : null,
		startsOn: r.starts_on,
		endsOn: r.ends_on,
		distanceKm:
			r.distance_km === null || r.distance_km === undefined
				? null
				: Math.round(Number(r.distance_km) * 10) / 10,
		needs
	};
}

/** What people typed → its tsquery text (or null), for the last few hundred distinct queries. */
const resolvedQueries = new Map<string, string | null>();
const RESOLVED_QUERIES_MAX = 500;

/**
 * Turns what the person typed into a tsquery once (one small query), so that the listing's statement
 * uses it as a plain parameter the planner can match against the search index. A query of stop words
 * only ("de la") filters nothing. The result depends only on the words and the text search
 * configurations (fixed by the migrations), so it is remembered: a repeated query costs no statement.
 */
async function resolveQuery(exec: Executor, q: string | undefined): Promise<SQL | null> {
	if (!q) return null;
	let query = resolvedQueries.get(q);
	if (query === undefined) {
		[{ query }] = (
			await exec.execute<{ query: string | null }>(sql`SELECT (${searchQuery(q)})::text AS query`)
		).rows;
		if (resolvedQueries.size >= RESOLVED_QUERIES_MAX) resolvedQueries.clear();
		resolvedQueries.set(q, query);
	}
	return query ? sql`${query}::tsquery` : null;
}

const ENDING = sql`LEFT JOIN LATERAL (
	SELECT least(p.ends_on::timestamptz, (SELECT min(n.deadline) FROM needs n WHERE n.project_id = p.id AND n.kind = 'money')) AS at
) ending ON true`;

/** One page of a listing: its cards, how many match (at most LISTED_MAX) and whether there are more. */
export interface ProjectPage {
	rows: ProjectCard[];
	/** The number of matches, or LISTED_MAX when there are more (then `capped` is true). */
	total: number;
	/** True when more than LISTED_MAX projects match: only the first LISTED_MAX are counted and listed. */
	capped: boolean;
	page: number;
	perPage: number;
}

/**
 * Public projects with filters, sort and pagination, in a constant number of queries and a bounded cost
 * whatever the number of projects: one statement gives the page's cards with their needs (as JSON,
 * shifts summed) and the count; then one asks the ledger what the money needs received (plus, the first
 * time a query's words are seen, one resolves them into a tsquery).
 *
 * - The count stops at LISTED_MAX + 1 matches (`capped`: "more than 500"), and pages stop at
 *   LISTED_MAX too (the filters' schema refuses a page beyond; one past the real end is empty).
 * - The page's keys are found first (ids, through the listing index), then only their cards are built:
 *   a deep page does not build the cards it skips.
 * - With words and the relevance order, the candidates are the LISTED_MAX newest matches (the listing
 *   index walked with the search condition, or the search index then a top-N sort when the words are
 *   rare); they are ranked with ts_rank_cd and the page is cut from that ranking. When fewer than
 *   LISTED_MAX projects match, this is exactly the ranking of every match.
 * Drafts, submissions, declined and cancelled projects never appear.
 */
export async function searchProjects(
	f: ProjectFilters,
	exec: Executor = db(),
	options: { cap?: number } = {}
): Promise<ProjectPage> {
	const cap = options.cap ?? LISTED_MAX;
	const query = await resolveQuery(exec, f.q);
	const where = publicWhere(f, query);
	const perPage = f.per_page;
	const page = f.page;
	const offset = (page - 1) * perPage;
	const distance = f.near ? sql`${distanceKm(f.near[0], f.near[1])}` : sql`NULL::float`;
	const ranked = query && (f.sort ?? 'relevance') === 'relevance';
	// The page's ids in order (`ord`: the ARRAY keeps its subquery's order), and `counted`: the matches
	// counted up to cap + 1.
	const keys = ranked
		? sql`candidates AS MATERIALIZED (
				SELECT p.id, p.published_at, ts_rank_cd(p.search_vector, ${query}) AS rank FROM projects p
				WHERE ${where} ORDER BY p.published_at DESC, p.id LIMIT ${cap + 1}
			),
			counted AS (SELECT count(*)::int AS n FROM candidates),
			keys AS (
				SELECT k.id, k.ord FROM unnest(ARRAY(
					SELECT c.id FROM (SELECT * FROM candidates ORDER BY published_at DESC, id LIMIT ${cap}) c
					ORDER BY c.rank DESC, c.published_at DESC, c.id
					LIMIT ${perPage} OFFSET ${offset}
				)) WITH ORDINALITY AS k(id, ord)
			)`
		: // Counted without an order: the planner may stop a bitmap scan of an index at cap + 1 rows, or
			// a walk of the table as soon as cap + 1 matches are met.
			sql`counted AS (SELECT count(*)::int AS n FROM (SELECT 1 FROM projects p WHERE ${where} LIMIT ${cap + 1}) m),
			keys AS (
				SELECT k.id, k.ord FROM unnest(ARRAY(
					SELECT p.id FROM projects p ${ENDING}
					WHERE ${where}
					ORDER BY ${orderBy(f, query)}
					LIMIT ${perPage} OFFSET ${offset}
				)) WITH ORDINALITY AS k(id, ord)
			)`;
	const result = (
		await exec.execute<CardRow & { counted: number; needs: unknown[] | null }>(sql`
			WITH ${keys}
			SELECT counted.n AS counted, page.*
			FROM counted LEFT JOIN (
				SELECT ${CARD_COLUMNS}, ${distance} AS distance_km, ${cardNeedsJson} AS needs, keys.ord
				FROM keys JOIN projects p ON p.id = keys.id JOIN territories t ON t.id = p.territory_id
			) page ON true
			ORDER BY page.ord`)
	).rows;
	const counted = result.length ? Number(result[0].counted) : 0;
	const rows = result.filter((r) => r.id !== null);
	const needs = await needsFromJson(
		exec,
		rows.map((r) => r.id),
		rows.flatMap((r) => r.needs ?? [])
	);
	return {
		rows: rows.map((r) => toCard(r, needs.get(r.id) ?? [])),
		total: Math.min(counted, cap),
		capped: counted > cap,
		page,
		perPage
	};
}

/** Every public project with a location, for the GeoJSON feed (filters apply). */
export async function mapProjects(f: ProjectFilters, exec: Executor = db()) {
	const query = await resolveQuery(exec, f.q);
	const rows = (
		await exec.execute<CardRow>(sql`
			SELECT ${CARD_COLUMNS}, NULL::float AS distance_km
			FROM projects p JOIN territories t ON t.id = p.territory_id
			WHERE ${publicWhere(f, query)} AND p.lat IS NOT NULL
			ORDER BY p.published_at DESC, p.id LIMIT 5000`)
	).rows;
	return rows.map((r) => toCard(r, []));
}

type PageRow = CardRow & {
	territory_id: string;
	description: string;
	legal_form: ProjectRow['legalForm'];
	carrier_name: string;
};

/** Loads one project's card and story by slug (any state), in one statement; `null` when missing. */
async function pageRowBySlug(exec: Executor, slug: string): Promise<PageRow | null> {
	const [row] = (
		await exec.execute<PageRow>(sql`
			SELECT ${CARD_COLUMNS}, NULL::float AS distance_km, p.territory_id, p.description, p.legal_form, p.carrier_name
			FROM projects p JOIN territories t ON t.id = p.territory_id WHERE p.slug = ${slug}`)
	).rows;
	return row ?? null;
}

/** A project's full page: story, stages, needs with progress, team; only when the reader may see it. */
export async function getProjectPage(actor: Actor | null, slug: string, exec: Executor = db()) {
	const row = await pageRowBySlug(exec, slug);
	const seen = row && {
		id: row.id,
		territoryId: row.territory_id,
		status: row.status,
		publishedAt: row.published_at ? new Date(row.published_at) : null
	};
	if (!row || !seen || !(await canSeeProject(exec, actor, seen)))
		throw new AppError('not_found', 'error_not_found');
	const [needs, stageRows, team, role] = await Promise.all([
		needsForProjects(exec, [row.id]),
		exec.select().from(stages).where(eq(stages.projectId, row.id)).orderBy(asc(stages.position)),
		exec
			.select({
				id: users.id,
				displayName: users.displayName,
				role: projectMembers.role,
				deletedAt: users.deletedAt
			})
			.from(projectMembers)
			.innerJoin(users, eq(users.id, projectMembers.userId))
			.where(eq(projectMembers.projectId, row.id))
			.orderBy(desc(projectMembers.role), asc(users.displayName)),
		teamRole(exec, actor, row.id)
	]);
	return {
		project: {
			...toCard(row, needs.get(row.id) ?? []),
			description: row.description,
			legalForm: row.legal_form,
			carrierName: row.carrier_name,
			territoryId: row.territory_id
		},
		stages: stageRows,
		team: team.map((m) => ({ id: m.id, displayName: m.deletedAt ? null : m.displayName, role: m.role })),
		myRole: role
	};
}

/** Everything the team sees on the management page, including the transition history and invitations. */
export async function getProjectForTeam(actor: Actor | null, slug: string) {
	const page = await getProjectPage(actor, slug);
	if (!page.myRole) throw new AppError('forbidden', 'error_forbidden');
	const [p] = await db().select().from(projects).where(eq(projects.slug, slug));
	const [history, invitations, themeIds] = await Promise.all([
		projectHistory(p.id),
		db()
			.select({
				email: projectInvitations.email,
				createdAt: projectInvitations.createdAt,
				acceptedAt: projectInvitations.acceptedAt
			})
			.from(projectInvitations)
			.where(eq(projectInvitations.projectId, p.id)),
		db().execute<{ theme_id: string }>(sql`SELECT theme_id FROM project_themes WHERE project_id = ${p.id}`)
	]);
	return { ...page, row: p, history, invitations, themeIds: themeIds.rows.map((r) => r.theme_id) };
}

/** The lifecycle history of a project, oldest first, with who moved it. */
export async function projectHistory(projectId: string, exec: Executor = db()) {
	return exec
		.select({
			id: projectTransitions.id,
			fromStatus: projectTransitions.fromStatus,
			toStatus: projectTransitions.toStatus,
			reason: projectTransitions.reason,
			createdAt: projectTransitions.createdAt,
			actorName: users.displayName
		})
		.from(projectTransitions)
		.leftJoin(users, eq(users.id, projectTransitions.actorId))
		.where(eq(projectTransitions.projectId, projectId))
		.orderBy(asc(projectTransitions.createdAt), asc(projectTransitions.id));
}

/** The projects the person is on the team of, newest first, with their needs (for "what to do next"). */
export async function listMyProjects(actor: Actor | null) {
	if (!actor) throw new AppError('unauthenticated', 'error_unauthenticated');
	const rows = (
		await db().execute<CardRow & { role: 'owner' | 'editor' }>(sql`
			SELECT ${CARD_COLUMNS}, NULL::float AS distance_km, m.role
			FROM project_members m JOIN projects p ON p.id = m.project_id JOIN territories t ON t.id = p.territory_id
			WHERE m.user_id = ${actor.id}
			ORDER BY p.updated_at DESC`)
	).rows;
	const needs = await needsForProjects(
		db(),
		rows.map((r) => r.id)
	);
	return rows.map((r) => ({ ...toCard(r, needs.get(r.id) ?? []), role: r.role }));
}

/** The public projects of a territory and its descendants (territory pages). */
export function projectsInTerritory(slug: string, page = 1) {
	return searchProjects({ territory: slug, page, per_page: 12 });
}

/** A project by its slug, only when the reader may see it (not_found otherwise, as for an unknown slug). */
export async function visibleProjectBySlug(actor: Actor | null, slug: string) {
	const [p] = await db().select().from(projects).where(eq(projects.slug, slug));
	if (!p || !(await canSeeProject(db(), actor, p))) throw new AppError('not_found', 'error_not_found');
	return p;
}

/** The id of a project by slug (commands check who may act on it); `not_found` when unknown. */
export async function projectIdBySlug(slug: string): Promise<string> {
	const [p] = await db().select({ id: projects.id }).from(projects).where(eq(projects.slug, slug));
	if (!p) throw new AppError('not_found', 'error_not_found');
	return p.id;
}

/**
 * What a listing card shows, and no more: the page data sent to the browser for hydration stays small
 * (full needs with descriptions and shifts, places and dates made the listing's payload several times
 * larger). Keyed by slug.
 */
export function summarizeCard(card: ProjectCard) {
	return {
		slug: card.slug,
		title: card.title,
		summary: card.summary,
		status: card.status,
		coverImage: card.coverImage,
		coverAlt: card.coverAlt,
		territory: card.territory,
		themes: card.themes,
		distanceKm: card.distanceKm,
		needs: card.needs.slice(0, 3).map((n) => ({
			id: n.id,
			kind: n.kind,
			title: n.title,
			target: n.target,
			fulfilled: n.fulfilled,
			unit: n.unit,
			currency: n.currency
		}))
	};
}

/** The invitations sent to an e-mail address, with the project and its status, for the person's data export. */
export async function invitationsTo(exec: Executor, email: string) {
	return exec
		.select({
			project: projects.title,
			projectSlug: projects.slug,
			invitedBy: projectInvitations.invitedBy,
			createdAt: projectInvitations.createdAt,
			expiresAt: projectInvitations.expiresAt,
			acceptedAt: projectInvitations.acceptedAt
		})
		.from(projectInvitations)
		.innerJoin(projects, eq(projects.id, projectInvitations.projectId))
		.where(sql`lower(${projectInvitations.email}) = ${email.toLowerCase()}`)
		.orderBy(asc(projectInvitations.createdAt));
}
