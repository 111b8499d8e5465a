import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';

/** Years a receipt keeps the donor's name and address after the year it covers (French tax law: six). */
export const RECEIPT_RETENTION_YEARS = 6;

/**
 * Erases the donor's name and address from the receipts of deleted accounts once the legal retention
 * has run out (run nightly). The receipt's number, amount and date stay, so the issuer's sequence is whole.
 */
export async function eraseExpiredDonorDetails(exec: Executor): Promise<number> {
	const r = await exec.execute(sql`
		UPDATE tax_receipts r SET donor_name = '', donor_address = ''
		FROM users u
		WHERE u.id = r.donor_id AND u.deleted_at IS NOT NULL
			AND r.year < extract(year FROM now())::int - ${RECEIPT_RETENTION_YEARS}
			AND (r.donor_name <> '' OR r.donor_address <> '')
		RETURNING r.id`);
	return r.rows.length;
}
