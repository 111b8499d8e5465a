import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { canModerateTerritory, requireActor, type Actor } from '../accounts';
import { users } from '../accounts/schema';
import { getProjectPage, projectHistory, projectIdBySlug } from '../projects';
import { AppError } from '../platform/errors';
import { criterionAnswers, reviews, reviewJudgements } from './schema';
import { listCriteria } from './criteria';

/**
 * Submissions waiting for review in the territories the person moderates (and their descendants),
 * oldest first; administrators see every territory.
 */
export async function reviewQueue(actor: Actor | null) {
	const me = requireActor(actor);
	if (!me.isAdmin && me.moderatorOf.length === 0) return [];
	const scope = me.isAdmin
		? sql`true`
		: sql`p.territory_id IN (
			WITH RECURSIVE down AS (
				SELECT id FROM territories WHERE id IN (${sql.join(
					me.moderatorOf.map((id) => sql`${id}::uuid`),
					sql`, `
				)})
				UNION ALL SELECT t.id FROM territories t JOIN down ON t.parent_id = down.id
			) SELECT id FROM down)`;
	const rows = await db().execute<{
		id: string;
		slug: string;
		title: string;
		submitted_at: string;
		territory_fr: string;
		territory_en: string;
		owner_name: string;
		resubmission: boolean;
	}>(sql`
		SELECT p.id, p.slug, p.title, p.submitted_at, t.name_fr AS territory_fr, t.name_en AS territory_en, u.display_name AS owner_name,
			EXISTS (SELECT 1 FROM reviews r WHERE r.project_id = p.id) AS resubmission
		FROM projects p JOIN territories t ON t.id = p.territory_id JOIN users u ON u.id = p.owner_id
		WHERE p.status = 'submitted' AND ${scope}
		ORDER BY p.submitted_at ASC, p.id`);
	return rows.rows.map((r) => ({ ...r, submitted_at: new Date(r.submitted_at) }));
}

/** The criteria with the team's answers, and the past reviews with their judgements. */
export async function reviewMaterial(projectId: string) {
	const [list, answers, pastReviews] = await Promise.all([
		listCriteria(),
		db().select().from(criterionAnswers).where(eq(criterionAnswers.projectId, projectId)),
		db()
			.select({
				id: reviews.id,
				decision: reviews.decision,
				message: reviews.message,
				publishAt: reviews.publishAt,
				createdAt: reviews.createdAt,
				moderatorName: users.displayName
			})
			.from(reviews)
			.innerJoin(users, eq(users.id, reviews.moderatorId))
			.where(eq(reviews.projectId, projectId))
			.orderBy(desc(reviews.createdAt))
	]);
	const judgements = pastReviews.length
		? await db()
				.select()
				.from(reviewJudgements)
				.where(
					inArray(
						reviewJudgements.reviewId,
						pastReviews.map((r) => r.id)
					)
				)
				.orderBy(asc(reviewJudgements.criterionId))
		: [];
	const answerBy = new Map(answers.map((a) => [a.criterionId, a]));
	return {
		criteria: list.map((c) => ({ ...c, answer: answerBy.get(c.id) ?? null })),
		reviews: pastReviews.map((r) => ({ ...r, judgements: judgements.filter((j) => j.reviewId === r.id) }))
	};
}

/**
 * The review page of a project (story, stages, team, history, criteria with the team's answers, past
 * reviews): for a moderator of its territory or an ancestor, or an administrator. An unknown slug is
 * not_found; a project the person may not moderate (another territory's, even a public one) is forbidden.
 */
export async function getReviewPage(actor: Actor | null, slug: string) {
	const me = requireActor(actor);
	let page: Awaited<ReturnType<typeof getProjectPage>> | null = null;
	try {
		page = await getProjectPage(me, slug);
	} catch (e) {
		if (!(e instanceof AppError && e.code === 'not_found')) throw e;
	}
	if (!page) {
		await projectIdBySlug(slug); // not_found for an unknown slug
		throw new AppError('forbidden', 'error_forbidden');
	}
	// Public projects and the person's own team's are visible to them; moderating them is another matter.
	if (!(await canModerateTerritory(db(), me, page.project.territoryId))) {
		throw new AppError('forbidden', 'error_forbidden');
	}
	const [history, material] = await Promise.all([
		projectHistory(page.project.id),
		reviewMaterial(page.project.id)
	]);
	return { project: page.project, stages: page.stages, team: page.team, history, material };
}
