import { auditLog } from './schema';
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
