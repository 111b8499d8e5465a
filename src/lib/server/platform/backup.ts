import { database } from '../db/client';
import { onlineBackupEmbedded } from '../db/backup';
import { requireAdmin } from '../accounts/policy';
import type { Actor } from '../accounts/actor';
import { audit } from './audit';
import { AppError } from './errors';

/** Which kind of database this instance runs on (the backup page explains each). */
export function databaseKind(actor: Actor | null): 'pglite' | 'postgres' {
	requireAdmin(actor);
	return database().kind;
}

/**
 * Administrators download a copy of the running embedded database (everything, personal data included,
 * so the download is audited). On PostgreSQL, pg_dump is the way: not found here.
 */
export async function downloadBackup(
	actor: Actor | null,
	ip: string | null
): Promise<{ bytes: Buffer; filename: string }> {
	const me = requireAdmin(actor);
	const current = database();
	if (current.kind !== 'pglite') throw new AppError('not_found', 'error_not_found');
	const bytes = await onlineBackupEmbedded(current);
	await audit(current.db, {
		actorId: me.id,
		action: 'platform.backup_downloaded',
		data: { bytes: bytes.length },
		ip
	});
	const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
	return { bytes, filename: `parvis-backup-${stamp}.tar.gz` };
}
