import { pgTable, uuid, text, integer, boolean, timestamp, index, primaryKey } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema';
import { projects } from '../projects/schema';

/** The instance's review criteria (seeded with espacecollectif.org's). */
export const criteria = pgTable('criteria', {
	id: uuid('id').primaryKey().defaultRandom(),
	slug: text('slug').notNull().unique(),
	labelFr: text('label_fr').notNull(),
	labelEn: text('label_en').notNull(),
	helpFr: text('help_fr').notNull().default(''),
	helpEn: text('help_en').notNull().default(''),
	position: integer('position').notNull().default(0),
	archivedAt: timestamp('archived_at', { withTimezone: true })
});

/** The team's answer to each criterion, given when submitting. */
export const criterionAnswers = pgTable(
	'criterion_answers',
	{
		projectId: uuid('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		criterionId: uuid('criterion_id')
			.notNull()
			.references(() => criteria.id),
		meets: boolean('meets').notNull(),
		explanation: text('explanation').notNull().default(''),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.projectId, t.criterionId] })]
);

/** A moderator's decision on a submission, with a judgement per criterion. */
export const reviews = pgTable(
	'reviews',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		projectId: uuid('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		moderatorId: uuid('moderator_id')
			.notNull()
			.references(() => users.id),
		decision: text('decision', { enum: ['approve', 'request_changes', 'decline'] }).notNull(),
		message: text('message').notNull().default(''),
		publishAt: timestamp('publish_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('reviews_project_idx').on(t.projectId)]
);

export const reviewJudgements = pgTable(
	'review_judgements',
	{
		reviewId: uuid('review_id')
			.notNull()
			.references(() => reviews.id, { onDelete: 'cascade' }),
		criterionId: uuid('criterion_id')
			.notNull()
			.references(() => criteria.id),
		passes: boolean('passes').notNull(),
		note: text('note').notNull().default('')
	},
	(t) => [primaryKey({ columns: [t.reviewId, t.criterionId] })]
);
