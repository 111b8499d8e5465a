import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { auditLog } from './schema';
import { emailPattern } from './mailer';
import type { Executor } from '../db/client';

export interface AuditEntry {
	actorId?: string | null;
	action: string;
	targetType?: string;
	targetId?: string;
	data?: Record<string, unknown>;
	ip?: string | null;
}

/** Appends one row to the audit log (inside the caller's transaction when given one). */
export async function audit(exec: Executor, entry: AuditEntry): Promise<void> {
	await exec.insert(auditLog).values({
		actorId: entry.actorId ?? null,
		action: entry.action,
		targetType: entry.targetType,
		targetId: entry.targetId,
		data: entry.data ?? {},
		ip: entry.ip ?? null
	});
}

/**
 * The same row as SQL (`INSERT INTO audit_log … SELECT`), to write inside a larger statement, e.g. a CTE
 * beside the change it records; with `onlyIf`, the row is written only when that condition holds.
 */
export function auditInsertSql(entry: AuditEntry, onlyIf?: SQL): SQL {
	return sql`INSERT INTO audit_log (actor_id, action, target_type, target_id, data, ip)
		SELECT ${entry.actorId ?? null}::uuid, ${entry.action}, ${entry.targetType ?? null}, ${entry.targetId ?? null},
			${JSON.stringify(entry.data ?? {})}::jsonb, ${entry.ip ?? null}${onlyIf ? sql` WHERE ${onlyIf}` : sql``}`;
}

/** How long audit rows are kept (the privacy page states it; a nightly job deletes older rows). */
export const AUDIT_RETENTION_DAYS = 365;

/** Deletes audit rows older than the retention period. */
export async function purgeOldAudit(exec: Executor): Promise<number> {
	const r = await exec.execute(sql`
		DELETE FROM audit_log WHERE created_at < now() - make_interval(days => ${AUDIT_RETENTION_DAYS}) RETURNING id`);
	return r.rows.length;
}

/** Replaces the address (matched whole, any case) by `replacement` in every string deep inside a JSON value. */
function scrub(value: unknown, address: RegExp, replacement: string): unknown {
	if (typeof value === 'string')
		return value.replace(address, (_m, before: string, after: string) => before + replacement + after);
	if (Array.isArray(value)) return value.map((v) => scrub(v, address, replacement));
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, address, replacement)]));
	return value;
}

/**
 * Account deletion: the audit log keeps what was done and when, but no longer says by whom in clear.
 * The e-mail address is replaced by the account's pseudonym wherever it appears in `data` (failed
 * sign-ins, invitations sent to it), and the IP addresses of the person's own rows are erased.
 */
export async function pseudonymizeAudit(
	exec: Executor,
	person: { userId: string; email: string; pseudonym: string }
): Promise<void> {
	const pattern = emailPattern(person.email);
	const rows = await exec.execute<{ id: number; data: Record<string, unknown> }>(sql`
		SELECT id, data FROM audit_log WHERE data::text ~* ${pattern}`);
	for (const row of rows.rows) {
		const data = scrub(row.data, new RegExp(pattern, 'gi'), person.pseudonym) as Record<string, unknown>;
		await exec
			.update(auditLog)
			.set({ data })
			.where(eq(auditLog.id, Number(row.id)));
	}
	await exec
		.update(auditLog)
		.set({ ip: null })
		.where(
			or(
				eq(auditLog.actorId, person.userId),
				and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, person.userId))
			)
		);
}
