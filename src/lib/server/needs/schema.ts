import { pgTable, uuid, text, integer, bigint, date, timestamp, index, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { projects, stages } from '../projects/schema';
import { needKinds, campaignModels, currencies, materialModes } from '$lib/shared/projects/enums';

/**
 * What a project asks for. One table for the four kinds; the columns of the other kinds stay null.
 * Progress counters (`fulfilled`, shift `taken`) are only ever changed by conditional updates.
 */
export const needs = pgTable(
	'needs',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		projectId: uuid('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		stageId: uuid('stage_id').references(() => stages.id, { onDelete: 'set null' }),
		kind: text('kind', { enum: needKinds }).notNull(),
		position: integer('position').notNull().default(0),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		// money
		goalMinor: bigint('goal_minor', { mode: 'number' }),
		currency: text('currency', { enum: currencies }),
		campaignModel: text('campaign_model', { enum: campaignModels }),
		deadline: timestamp('deadline', { withTimezone: true }),
		/** When an all-or-nothing campaign was settled at its deadline (captured or released). */
		closedAt: timestamp('closed_at', { withTimezone: true }),
		// volunteers
		role: text('role'),
		skills: text('skills').array(),
		// material
		quantity: integer('quantity'),
		unit: text('unit'),
		materialMode: text('material_mode', { enum: materialModes }),
		returnBy: date('return_by'),
		dropoff: text('dropoff'),
		// expertise
		skill: text('skill'),
		hours: integer('hours'),
		/** Items pledged or hours offered (material, expertise); money is derived from the ledger. */
		fulfilled: integer('fulfilled').notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('needs_project_idx').on(t.projectId),
		index('needs_kind_idx').on(t.kind, t.projectId),
		check('needs_fulfilled_nonneg', sql`${t.fulfilled} >= 0`)
	]
);

/** Volunteer shifts: date, time, place and number of people. */
export const shifts = pgTable(
	'shifts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		needId: uuid('need_id')
			.notNull()
			.references(() => needs.id, { onDelete: 'cascade' }),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		place: text('place').notNull().default(''),
		capacity: integer('capacity').notNull(),
		taken: integer('taken').notNull().default(0)
	},
	(t) => [
		index('shifts_need_idx').on(t.needId),
		check('shifts_capacity', sql`${t.taken} >= 0 AND ${t.taken} <= ${t.capacity}`)
	]
);
