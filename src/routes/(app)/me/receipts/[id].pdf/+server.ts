import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime.js';
import { receiptPdf } from '$lib/server/receipts';
import { AppError } from '$lib/server/platform/errors';
import type { RequestHandler } from './$types';

/** Downloads one of the person's tax receipts as PDF. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		const { pdf, filename } = await receiptPdf(locals.actor, params.id, getLocale());
		return new Response(new Uint8Array(pdf), {
			headers: {
				'content-type': 'application/pdf',
				'content-disposition': `attachment; filename="${filename}"`,
				'cache-control': 'private, no-store'
			}
		});
	} catch (e) {
		if (e instanceof AppError) error(e.code === 'unauthenticated' ? 401 : 404);
		throw e;
	}
};
