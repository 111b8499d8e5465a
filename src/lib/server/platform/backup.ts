import { database } from '../db/client';
import { onlineBackupEmbedded } from '../db/backup';
import { audit } from './audit';
import { AppError } from './errors';
import { definePolicy, type PolicyActor } from './define-policy';

// platform/ knows no domain: the rule reads only what every actor carries (accounts' Actor has it).
const backupPolicy = definePolicy({
	'platform.backup': (actor: PolicyActor | null) => Boolean(actor?.isAdmin)
});

/** Which kind of database this instance runs on (the backup page explains each). */
export async function databaseKind(actor: PolicyActor | null): Promise<'pglite' | 'postgres'> {
	await backupPolicy.authorize(actor, 'platform.backup');
	return database().kind;
}

/**
 * Administrators download a copy of the running embedded database (everything, personal data included,
 * so the download is audited). On PostgreSQL, pg_dump is the way: not found here.
 */
export async function downloadBackup(
	actor: PolicyActor | null,
	ip: string | null
): Promise<{ bytes: Buffer; filename: string }> {
	const me = await backupPolicy.authorize(actor, 'platform.backup');
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
