import { z } from 'zod';
import { db } from '../../db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import { contributions } from '../../contributions/schema';
import { requireActor, requireAdmin, type Actor } from '../../accounts';
import { requireOwner } from '../../projects';
import { eq } from 'drizzle-orm';
import { completePayment } from './complete-payment';

const idSchema = z.object({ contributionId: z.uuid('error_not_found') });

/**
 * The project's owner (its treasurer) or an administrator marks an offline gift (transfer, cheque, cash)
 * received; only then does it enter the ledger. Marking twice is refused.
 */
export async function markOfflineReceived(actor: Actor | null, contributionId: string): Promise<void> {
	const me = requireActor(actor);
	const data = parseInput(idSchema, { contributionId });
	const [c] = await db().select().from(contributions).where(eq(contributions.id, data.contributionId));
	if (!c || c.kind !== 'money' || c.paymentMethod !== 'offline')
		throw new AppError('not_found', 'error_not_found');
	if (!me.isAdmin) await requireOwner(db(), me, c.projectId);
	else requireAdmin(me);
	if (c.status !== 'pending') throw new AppError('conflict', 'payments_error_already_received');
	const result = await completePayment({
		contributionId,
		providerEvent: `offline:${contributionId}`,
		outcome: 'succeeded',
		amountMinor: c.amountMinor! + (c.tipMinor ?? 0),
		currency: c.currency!
	});
	if (result === 'duplicate') throw new AppError('conflict', 'payments_error_already_received');
	// A late offline gift is cancelled (its donor told); the treasurer gives the money back by hand.
	if (result === 'late') throw new AppError('conflict', 'payments_error_offline_late');
	await audit(db(), {
		actorId: me.id,
		action: 'payments.offline_received',
		targetType: 'contribution',
		targetId: contributionId
	});
}
