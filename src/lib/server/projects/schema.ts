import { sql } from 'drizzle-orm';
import {
	pgTable,
	uuid,
	text,
	integer,
	doublePrecision,
	date,
	timestamp,
	index,
	uniqueIndex,
	primaryKey,
	customType,
	bigserial
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema';
import { territories, themes } from '../territories/schema';
import { projectStatuses, legalForms } from '$lib/shared/projects/enums';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A project of general interest, from draft to completion. */
export const projects = pgTable(
	'projects',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		summary: text('summary').notNull().default(''),
		description: text('description').notNull().default(''),
		coverImage: text('cover_image'),
		coverAlt: text('cover_alt').notNull().default(''),
		territoryId: uuid('territory_id')
			.notNull()
			.references(() => territories.id),
		address: text('address').notNull().default(''),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		legalForm: text('legal_form', { enum: legalForms }),
		carrierName: text('carrier_name').notNull().default(''),
		/** How to pay by transfer, cheque or cash (IBAN, payee, address), set by the team. */
		offlineInstructions: text('offline_instructions').notNull().default(''),
		startsOn: date('starts_on'),
		endsOn: date('ends_on'),
		status: text('status', { enum: projectStatuses }).notNull().default('draft'),
		ownerId: uuid('owner_id')
			.notNull()
			.references(() => users.id),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		searchVector: tsvector('search_vector'),
		/**
		 * What the listings filter on: 't:<slug>' of the territory and its ancestors, 'th:<slug>' of each
		 * theme, 'n:<kind>' of each need kind; kept by triggers (migration 0010), never written by the app.
		 */
		facets: text('facets')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`)
	},
	(t) => [
		uniqueIndex('projects_slug_key').on(t.slug),
		index('projects_status_published_idx').on(t.status, t.publishedAt),
		index('projects_territory_idx').on(t.territoryId),
		index('projects_lat_lng_idx').on(t.lat, t.lng),
		index('projects_ends_on_idx').on(t.endsOn),
		index('projects_search_idx').using('gin', t.searchVector),
		index('projects_facets_idx').using('gin', t.facets),
		index('projects_owner_idx').on(t.ownerId)
	]
);

export const projectThemes = pgTable(
	'project_themes',
	{
		projectId: uuid('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		themeId: uuid('theme_id')
			.notNull()
			.references(() => themes.id)
	},
	(t) => [primaryKey({ columns: [t.projectId, t.themeId] }), index('project_themes_theme_idx').on(t.themeId)]
);

/** The team: the owner and editors. */
export const projectMembers = pgTable(
	'project_members',
	{
		projectId: uuid('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		role: text('role', { enum: ['owner', 'editor'] }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_members_user_idx').on(t.userId)]
);

/** Invitations of editors by e-mail (token hashed, accepted once). */
export const projectInvitations = pgTable('project_invitations', {
	id: text('id').primaryKey(),
	projectId: uuid('project_id')
		.notNull()
		.references(() => projects.id, { onDelete: 'cascade' }),
	email: text('email').notNull(),
	invitedBy: uuid('invited_by')
		.notNull()
		.references(() => users.id),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	acceptedAt: timestamp('accepted_at', { withTimezone: true })
});

/** Stages cut a project so contributors see a result soon. */
export const stages = pgTable(
	'stages',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		projectId: uuid('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		position: integer('position').notNull().default(0),
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
		startsOn: date('starts_on'),
		endsOn: date('ends_on'),
		deliveredAt: timestamp('delivered_at', { withTimezone: true })
	},
	(t) => [index('stages_project_idx').on(t.projectId)]
);

/** Every lifecycle move: who, when, from, to, why. */
export const projectTransitions = pgTable(
	'project_transitions',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		projectId: uuid('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		fromStatus: text('from_status', { enum: projectStatuses }),
		toStatus: text('to_status', { enum: projectStatuses }).notNull(),
		actorId: uuid('actor_id').references(() => users.id),
		reason: text('reason').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('project_transitions_project_idx').on(t.projectId, t.createdAt)]
);
