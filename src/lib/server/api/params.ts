import { LISTED_MAX, maxPage, projectFiltersSchema, type ProjectFilters } from '$lib/shared/projects/schemas';
import { needKinds, projectSorts, publicStatuses } from '$lib/shared/projects/enums';
import { invalidParameter } from './http';

export const apiLanguages = ['fr', 'en'] as const;
export type ApiLanguage = (typeof apiLanguages)[number];

/** The query parameters of the project listings (GET /projects and /projects.geojson). */
export const filterParameters = Object.keys(projectFiltersSchema.shape) as (keyof ProjectFilters)[];

/** What each parameter accepts, for error messages. */
const expected: Record<string, string> = {
	q: 'expected text of at most 200 characters',
	territory: 'expected a territory slug of at most 80 characters',
	theme: 'expected a theme slug of at most 80 characters',
	need: `expected one of ${needKinds.join(', ')}`,
	status: `expected one of ${publicStatuses.join(', ')}`,
	near: 'expected "lat,lng" in decimal degrees (latitude within ±90, longitude within ±180)',
	radius_km: 'expected a positive number of kilometres, at most 20000',
	sort: `expected one of ${projectSorts.join(', ')}`,
	per_page: 'expected an integer from 1 to 100',
	lang: `expected one of ${apiLanguages.join(', ')}`
};

/** The pages a listing has: the first LISTED_MAX matches, `per_page` at a time. */
function expectedPage(perPage: string | undefined): string {
	const size = Number(perPage);
	const last = Number.isInteger(size) && size >= 1 && size <= 100 ? maxPage(size) : maxPage(20);
	return `expected an integer from 1 to ${last} (at most ${LISTED_MAX} projects are listed, per_page at a time)`;
}

/** One value per parameter: a parameter given twice is refused rather than guessed. */
function single(url: URL, name: string): string | undefined {
	const values = url.searchParams.getAll(name);
	if (values.length > 1) throw invalidParameter(name, 'given more than once');
	return values[0];
}

/**
 * The project filters from the URL, validated with the shared schema (as the /projects page), plus the
 * API's own rules: only public statuses can be asked for, and distance needs a point.
 */
export function parseFilters(url: URL): ProjectFilters {
	const raw: Record<string, string> = {};
	for (const name of filterParameters) {
		const value = single(url, name);
		if (value !== undefined) raw[name] = value;
	}
	const parsed = projectFiltersSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const name = String(issue.path[0] ?? 'query');
		throw invalidParameter(
			name,
			expected[name] ?? (name === 'page' ? expectedPage(raw.per_page) : issue.message)
		);
	}
	const f = parsed.data;
	if (f.status && !(publicStatuses as readonly string[]).includes(f.status))
		throw invalidParameter('status', expected.status);
	if (f.radius_km !== undefined && !f.near) throw invalidParameter('radius_km', 'needs "near" as well');
	if (f.sort === 'closest' && !f.near) throw invalidParameter('sort', '"closest" needs "near" as well');
	return f;
}

/**
 * The language of names: `?lang=fr|en`, else the first of French or English in Accept-Language
 * (by preference weight), else French.
 */
export function negotiateLanguage(url: URL, request: Request): ApiLanguage {
	const asked = single(url, 'lang');
	if (asked !== undefined && asked !== '') {
		if (!(apiLanguages as readonly string[]).includes(asked)) throw invalidParameter('lang', expected.lang);
		return asked as ApiLanguage;
	}
	const header = request.headers.get('accept-language') ?? '';
	const ranked = header
		.split(',')
		.map((part, index) => {
			const [tag, ...params] = part.trim().split(';');
			const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const q = qParam ? Number(qParam.slice(2)) : 1;
			return { lang: tag.trim().toLowerCase().split('-')[0], q: Number.isFinite(q) ? q : 0, index };
		})
		.filter((x) => x.q > 0 && (apiLanguages as readonly string[]).includes(x.lang))
		.sort((a, b) => b.q - a.q || a.index - b.index);
	return (ranked[0]?.lang as ApiLanguage | undefined) ?? 'fr';
}
