import { error } from '@sveltejs/kit';
import { getProjectPage } from '$lib/server/projects';
import { AppError } from '$lib/server/platform/errors';
import { renderMarkdown } from '$lib/server/platform/markdown';
import { config } from '$lib/server/platform/config';
import { t } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	let page;
	try {
		page = await getProjectPage(locals.actor, params.slug);
	} catch (e) {
		if (e instanceof AppError && e.code === 'not_found') error(404, t('error_not_found'));
		throw e;
	}
	const cfg = config();
	return {
		...page,
		descriptionHtml: renderMarkdown(page.project.description),
		tileUrl: cfg.PARVIS_TILE_URL,
		tileAttribution: cfg.PARVIS_TILE_ATTRIBUTION,
		shareUrl: `${cfg.publicUrl}/projects/${params.slug}`,
		created: url.searchParams.get('created') === '1'
	};
};
