import { eq } from 'drizzle-orm';
import { issuerProjectSchema, issuerSchema, type IssuerInput } from '$lib/shared/receipts/schemas';
import { db } from '../../db/client';
import { parseInput } from '../../platform/validate';
import { audit } from '../../platform/audit';
import type { Actor } from '../../accounts';
import { receiptIssuers, projectReceiptIssuers } from '../schema';
import { authorize } from '../policy';

/** Administrators declare the organization that issues receipts for a project, and whether it is eligible. */
export async function setProjectIssuer(actor: Actor | null, projectId: string, input: IssuerInput) {
	const admin = await authorize(actor, 'receipts.manage_issuers');
	parseInput(issuerProjectSchema, { projectId });
	const data = parseInput(issuerSchema, input);
	return db().transaction(async (tx) => {
		const [link] = await tx
			.select()
			.from(projectReceiptIssuers)
			.where(eq(projectReceiptIssuers.projectId, projectId));
		let issuerId = link?.issuerId;
		if (issuerId) await tx.update(receiptIssuers).set(data).where(eq(receiptIssuers.id, issuerId));
		else {
			[{ id: issuerId }] = await tx.insert(receiptIssuers).values(data).returning({ id: receiptIssuers.id });
			await tx.insert(projectReceiptIssuers).values({ projectId, issuerId });
		}
		await audit(tx, {
			actorId: admin.id,
			action: 'receipts.issuer_set',
			targetType: 'project',
			targetId: projectId,
			data: { eligible: data.eligible }
		});
		return issuerId;
	});
}
