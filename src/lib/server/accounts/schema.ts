import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, boolean, timestamp, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { territories, themes } from '../territories/schema';

/** People with an account. E-mail is stored lower-cased; deleted accounts are anonymized in place. */
export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		email: text('email').notNull(),
		emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
		passwordHash: text('password_hash'),
		displayName: text('display_name').notNull(),
		bio: text('bio').notNull().default(''),
		skills: text('skills')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		homeTerritoryId: uuid('home_territory_id').references(() => territories.id),
		locale: text('locale', { enum: ['fr', 'en'] })
			.notNull()
			.default('fr'),
		isAdmin: boolean('is_admin').notNull().default(false),
		passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		deletedAt: timestamp('deleted_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('users_email_key').on(t.email)]
);

/** A person's interests, as themes. */
export const userInterests = pgTable(
	'user_interests',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		themeId: uuid('theme_id')
			.notNull()
			.references(() => themes.id)
	},
	(t) => [primaryKey({ columns: [t.userId, t.themeId] })]
);

/** Server-side sessions; the cookie carries a random token, the table its SHA-256. */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		userAgent: text('user_agent')
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/** One-time tokens sent by e-mail (verification, password reset, e-mail change); stored hashed. */
export const emailTokens = pgTable(
	'email_tokens',
	{
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		purpose: text('purpose', { enum: ['verify', 'reset', 'email_change'] }).notNull(),
		newEmail: text('new_email'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('email_tokens_user_idx').on(t.userId)]
);

/** Moderator role, per territory (covers its descendants). */
export const moderatorAssignments = pgTable(
	'moderator_assignments',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		territoryId: uuid('territory_id')
			.notNull()
			.references(() => territories.id),
		grantedBy: uuid('granted_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.territoryId] })]
);
