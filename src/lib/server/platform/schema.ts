import { pgTable, uuid, text, integer, jsonb, timestamp, index, bigserial } from 'drizzle-orm/pg-core';

/** Append-only audit log: sign-ins, failed sign-ins, role changes, admin and moderation acts. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		actorId: uuid('actor_id'),
		action: text('action').notNull(),
		targetType: text('target_type'),
		targetId: text('target_id'),
		data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
		ip: text('ip'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('audit_log_created_idx').on(t.createdAt), index('audit_log_actor_idx').on(t.actorId)]
);

/** Fixed-window rate-limit counters, shared by every app instance through the database. */
export const rateLimits = pgTable('rate_limits', {
	key: text('key').primaryKey(),
	windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
	count: integer('count').notNull()
});

/** Instance settings and one-off markers (demo loaded, setup token). */
export const settings = pgTable('settings', {
	key: text('key').primaryKey(),
	value: jsonb('value').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
