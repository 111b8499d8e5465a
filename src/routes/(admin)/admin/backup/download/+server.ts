import { downloadBackup } from '$lib/server/platform/backup';
import { adminOnly } from '../../../guard';
import type { RequestHandler } from './$types';

/** A copy of the running embedded database, for administrators (restored with `npm run restore`). */
export const GET: RequestHandler = async (event) => {
	const { bytes, filename } = await downloadBackup(adminOnly(event), event.locals.ip ?? null);
	return new Response(new Uint8Array(bytes), {
		headers: {
			'content-type': 'application/gzip',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'private, no-store'
		}
	});
};
