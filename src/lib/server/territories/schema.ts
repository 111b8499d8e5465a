import {
	pgTable,
	uuid,
	text,
	integer,
	doublePrecision,
	timestamp,
	index,
	uniqueIndex,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';

/** Territories nest: region › city › neighbourhood; communities of interest sit beside them. */
export const territories = pgTable(
	'territories',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		parentId: uuid('parent_id').references((): AnyPgColumn => territories.id),
		slug: text('slug').notNull(),
		kind: text('kind', { enum: ['region', 'city', 'neighbourhood', 'community'] }).notNull(),
		nameFr: text('name_fr').notNull(),
		nameEn: text('name_en').notNull(),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		position: integer('position').notNull().default(0),
		archivedAt: timestamp('archived_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('territories_slug_key').on(t.slug), index('territories_parent_idx').on(t.parentId)]
);

/** Configurable themes (housing, food, repair…). */
export const themes = pgTable(
	'themes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		slug: text('slug').notNull(),
		nameFr: text('name_fr').notNull(),
		nameEn: text('name_en').notNull(),
		position: integer('position').notNull().default(0),
		archivedAt: timestamp('archived_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('themes_slug_key').on(t.slug)]
);

export const territoryKinds = ['region', 'city', 'neighbourhood', 'community'] as const;
