import { projectFiltersSchema, type ProjectFilters } from '$lib/shared/projects/schemas';
import { searchProjects, summarizeCard } from '$lib/server/projects';
import { listTerritories, listThemes } from '$lib/server/territories';
import type { PageServerLoad } from './$types';

// Not hydrated: the filters are a GET form and the rest is links, all without JavaScript; what JavaScript
// adds ("use my location") is one small module (components/projects/projects-list.enhance.ts) instead of
// the Svelte runtime, the router, the page and its messages (49 KB gzipped). No data is serialized.
export const csr = false;

/**
 * Keeps the valid filters of the URL and reports the invalid ones (the page never fails on a bad link):
 * an invalid value is dropped and the rest parsed again (a page beyond the last listed one is only
 * found out once `per_page` is known, so this may take a second round).
 */
function readFilters(url: URL): { filters: ProjectFilters; invalid: string[] } {
	let raw: Record<string, string> = Object.fromEntries(url.searchParams);
	const invalid: string[] = [];
	for (let round = 0; round < 3; round++) {
		const parsed = projectFiltersSchema.safeParse(raw);
		if (parsed.success) return { filters: parsed.data, invalid };
		const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
		invalid.push(...names.filter((n) => !invalid.includes(n)));
		raw = Object.fromEntries(Object.entries(raw).filter(([k]) => !invalid.includes(k)));
	}
	return { filters: projectFiltersSchema.parse({}), invalid };
}

export const load: PageServerLoad = async ({ url }) => {
	const { filters, invalid } = readFilters(url);
	const [result, territories, themes] = await Promise.all([
		searchProjects(filters),
		listTerritories(),
		listThemes()
	]);
	// The filters' options: what the selects show (the page data is serialized into the page).
	return {
		result: { ...result, rows: result.rows.map(summarizeCard) },
		territories: territories.map(({ slug, nameFr, nameEn, depth }) => ({ slug, nameFr, nameEn, depth })),
		themes: themes.map(({ slug, nameFr, nameEn }) => ({ slug, nameFr, nameEn })),
		filters: { ...filters, near: url.searchParams.get('near') ?? '' },
		invalid
	};
};
