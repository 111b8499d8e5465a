import { searchProjects, mapProjects, getProjectPage } from '../projects';
import { listTerritories, listThemes } from '../territories';
import { ApiError, apiHandler, apiJson } from './http';
import { negotiateLanguage, parseFilters } from './params';
import { toApiProject, toApiProjectDetail, toApiTerritories, toApiTheme, toFeature } from './mappers';
import { openApiDocument } from './openapi';

/** The URL and request of a call (a SvelteKit RequestEvent has both). */
export interface ApiCall {
	url: URL;
	request: Request;
}

/** Names depend on the language: tell caches so. */
function languageHeaders(lang: string): Record<string, string> {
	return { 'content-language': lang, vary: 'Accept-Language' };
}

/** GET /api/v1/projects: public projects, filtered, sorted and paginated. */
export function listProjectsEndpoint({ url, request }: ApiCall): Promise<Response> {
	return apiHandler(async () => {
		const filters = parseFilters(url);
		const lang = negotiateLanguage(url, request);
		const result = await searchProjects(filters);
		return apiJson(
			{
				data: result.rows.map((card) => toApiProject(card, lang)),
				meta: { page: result.page, per_page: result.perPage, total: result.total, capped: result.capped }
			},
			{ headers: languageHeaders(lang) }
		);
	});
}

/** GET /api/v1/projects/{slug}: one public project; 404 for anything not public. */
export function projectEndpoint({ url, request }: ApiCall, slug: string): Promise<Response> {
	return apiHandler(async () => {
		const lang = negotiateLanguage(url, request);
		const page = await getProjectPage(null, slug);
		return apiJson({ data: toApiProjectDetail(page, lang) }, { headers: languageHeaders(lang) });
	});
}

/** GET /api/v1/projects.geojson: located public projects as a FeatureCollection (same filters). */
export function projectsGeoJsonEndpoint({ url, request }: ApiCall): Promise<Response> {
	return apiHandler(async () => {
		const filters = parseFilters(url);
		const lang = negotiateLanguage(url, request);
		const cards = await mapProjects(filters);
		return apiJson(
			{
				type: 'FeatureCollection',
				features: cards.map((card) => toFeature(card, lang)).filter((f) => f !== null)
			},
			{ contentType: 'application/geo+json; charset=utf-8', headers: languageHeaders(lang) }
		);
	});
}

/** GET /api/v1/territories: the live territories, parents before children. */
export function territoriesEndpoint(): Promise<Response> {
	return apiHandler(async () => apiJson({ data: toApiTerritories(await listTerritories()) }));
}

/** GET /api/v1/themes: the live themes in their configured order. */
export function themesEndpoint(): Promise<Response> {
	return apiHandler(async () => apiJson({ data: (await listThemes()).map(toApiTheme) }));
}

/** GET /api/v1/openapi.json: this API described with OpenAPI 3.1. */
export function openApiEndpoint(): Promise<Response> {
	return apiHandler(async () => apiJson(openApiDocument()));
}

/** Any unknown address under /api/v1. */
export function notFoundEndpoint(): Promise<Response> {
	return apiHandler(async () => {
		throw new ApiError(404, 'not_found', 'No such endpoint; see /api/v1/openapi.json');
	});
}
