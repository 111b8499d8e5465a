import { needKinds, projectSorts, publicStatuses, legalForms } from '$lib/shared/projects/enums';
import { territoryKinds } from '../territories/schema';
import { config } from '../platform/config';
import { apiLanguages } from './params';
import { LISTED_MAX, maxPage } from '$lib/shared/projects/schemas';

// The OpenAPI 3.1 description of the public API v1. Enumerations come from the same constants the
// code validates with, so the document cannot drift from them; api.test.ts checks the document's
// structure and validates real responses against these schemas.

type Schema = Record<string, unknown>;

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const schemaRef = (name: string) => ref('schemas', name);
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
const orNull = (schema: Schema): Schema => ({ oneOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, Schema>, description?: string): Schema => ({
	type: 'object',
	...(description ? { description } : {}),
	required: Object.keys(properties),
	additionalProperties: false,
	properties
});
const list = (items: Schema, description?: string): Schema => ({
	type: 'array',
	...(description ? { description } : {}),
	items
});

const projectProperties: Record<string, Schema> = {
	slug: { type: 'string', description: 'Stable identifier, used in URLs.' },
	title: { type: 'string' },
	summary: { type: 'string' },
	status: { type: 'string', enum: [...publicStatuses] },
	territory: schemaRef('Name'),
	themes: list(schemaRef('Name')),
	location: orNull(schemaRef('Location')),
	url: { type: 'string', format: 'uri', description: "The project's public page." },
	published_at: nullable('string', { format: 'date-time' }),
	ends_at: nullable('string', { format: 'date', description: 'Planned end of the project.' }),
	needs: list(schemaRef('Need'))
};

const filterParameterNames = [
	'q',
	'territory',
	'theme',
	'need',
	'status',
	'near',
	'radius_km',
	'sort',
	'lang'
] as const;

const jsonContent = (schema: Schema) => ({ 'application/json': { schema } });
const okHeaders = {
	'Cache-Control': ref('headers', 'CacheControl'),
	'Access-Control-Allow-Origin': ref('headers', 'AccessControlAllowOrigin')
};

/** The OpenAPI 3.1.0 document (servers point at this instance). */
export function openApiDocument() {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Parvis public API',
			version: '1.0.0',
			summary: 'Read-only access to the public projects, territories and themes of a Parvis instance.',
			description:
				'Only public projects (published and later, once their publication date has come) are ever returned. ' +
				'No authentication; responses may be cached for 60 seconds and are readable from any origin. ' +
				'Territory and theme names are given in the language of `lang`, else of `Accept-Language` (French by default).',
			license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' }
		},
		servers: [{ url: `${config().publicUrl}/api/v1` }],
		tags: [
			{ name: 'projects', description: 'Public projects and their needs.' },
			{ name: 'places', description: 'Territories and themes used to classify projects.' },
			{ name: 'meta', description: 'This description.' }
		],
		paths: {
			'/projects': {
				get: {
					tags: ['projects'],
					operationId: 'listProjects',
					summary: 'Search public projects',
					parameters: [
						...filterParameterNames.map((n) => ref('parameters', n)),
						ref('parameters', 'page'),
						ref('parameters', 'per_page')
					],
					responses: {
						'200': {
							description: 'One page of projects.',
							headers: okHeaders,
							content: jsonContent(schemaRef('ProjectList'))
						},
						'400': ref('responses', 'BadRequest')
					}
				}
			},
			'/projects/{slug}': {
				get: {
					tags: ['projects'],
					operationId: 'getProject',
					summary: 'One public project with its story, stages and carrier',
					parameters: [ref('parameters', 'slug'), ref('parameters', 'lang')],
					responses: {
						'200': {
							description: 'The project.',
							headers: okHeaders,
							content: jsonContent(object({ data: schemaRef('ProjectDetail') }))
						},
						'400': ref('responses', 'BadRequest'),
						'404': ref('responses', 'NotFound')
					}
				}
			},
			'/projects.geojson': {
				get: {
					tags: ['projects'],
					operationId: 'mapProjects',
					summary: 'Located public projects as GeoJSON',
					description:
						'A GeoJSON FeatureCollection (RFC 7946, coordinates `[longitude, latitude]`) of the public projects ' +
						'that have a location, with the same filters as `/projects` (no pagination; at most 5000 features).',
					parameters: filterParameterNames.map((n) => ref('parameters', n)),
					responses: {
						'200': {
							description: 'The feature collection.',
							headers: okHeaders,
							content: { 'application/geo+json': { schema: schemaRef('FeatureCollection') } }
						},
						'400': ref('responses', 'BadRequest')
					}
				}
			},
			'/territories': {
				get: {
					tags: ['places'],
					operationId: 'listTerritories',
					summary: 'Territories (parents before their children)',
					responses: {
						'200': {
							description: 'Every live territory.',
							headers: okHeaders,
							content: jsonContent(object({ data: list(schemaRef('Territory')) }))
						}
					}
				}
			},
			'/themes': {
				get: {
					tags: ['places'],
					operationId: 'listThemes',
					summary: 'Themes in their configured order',
					responses: {
						'200': {
							description: 'Every live theme.',
							headers: okHeaders,
							content: jsonContent(object({ data: list(schemaRef('Theme')) }))
						}
					}
				}
			},
			'/openapi.json': {
				get: {
					tags: ['meta'],
					operationId: 'getOpenApi',
					summary: 'This OpenAPI document',
					responses: {
						'200': {
							description: 'The OpenAPI 3.1 document.',
							headers: okHeaders,
							content: jsonContent({ type: 'object' })
						}
					}
				}
			}
		},
		components: {
			parameters: {
				q: {
					name: 'q',
					in: 'query',
					description:
						'Full-text search in French and English (accents and plurals folded; every word must match).',
					schema: { type: 'string', maxLength: 200 }
				},
				territory: {
					name: 'territory',
					in: 'query',
					description: 'A territory slug; its sub-territories are included.',
					schema: { type: 'string', maxLength: 80 }
				},
				theme: {
					name: 'theme',
					in: 'query',
					description: 'A theme slug.',
					schema: { type: 'string', maxLength: 80 }
				},
				need: {
					name: 'need',
					in: 'query',
					description: 'Only projects with a need of this kind.',
					schema: { type: 'string', enum: [...needKinds] }
				},
				status: {
					name: 'status',
					in: 'query',
					description: 'Only projects in this state.',
					schema: { type: 'string', enum: [...publicStatuses] }
				},
				near: {
					name: 'near',
					in: 'query',
					description: 'A point as `lat,lng` in decimal degrees; needed by `radius_km` and `sort=closest`.',
					schema: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?$' },
					example: '45.44,4.39'
				},
				radius_km: {
					name: 'radius_km',
					in: 'query',
					description: 'Only projects within this distance of `near`.',
					schema: { type: 'number', exclusiveMinimum: 0, maximum: 20000 }
				},
				sort: {
					name: 'sort',
					in: 'query',
					description:
						'Order: `newest` (default), `ending_soon`, `closest` (needs `near`), `relevance` (default when `q` is given: ' +
						`the matches ranked by how well they match the words; when more than ${LISTED_MAX} match, the ${LISTED_MAX} most ` +
						'recently published of them are ranked, and `meta.capped` says so).',
					schema: { type: 'string', enum: [...projectSorts] }
				},
				page: {
					name: 'page',
					in: 'query',
					description: `Page number. A listing shows its first ${LISTED_MAX} matches at most: the last page is ${LISTED_MAX} ÷ \`per_page\` rounded up (${maxPage(20)} at 20 a page); a page beyond it is refused (400), a page past the last match is empty.`,
					schema: { type: 'integer', minimum: 1, maximum: LISTED_MAX, default: 1 }
				},
				per_page: {
					name: 'per_page',
					in: 'query',
					schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 }
				},
				lang: {
					name: 'lang',
					in: 'query',
					description: 'Language of territory and theme names; overrides `Accept-Language`.',
					schema: { type: 'string', enum: [...apiLanguages] }
				},
				slug: {
					name: 'slug',
					in: 'path',
					required: true,
					description: "The project's slug.",
					schema: { type: 'string' }
				}
			},
			headers: {
				CacheControl: {
					description: '`public, max-age=60` on success; errors are `no-store`.',
					schema: { type: 'string' }
				},
				AccessControlAllowOrigin: {
					description: 'Always `*`: the API is readable from any origin.',
					schema: { type: 'string', const: '*' }
				}
			},
			responses: {
				BadRequest: {
					description: 'A parameter is invalid (`invalid_parameter`); the message names it.',
					content: jsonContent(schemaRef('Error'))
				},
				NotFound: {
					description: 'No public project has this slug (`not_found`).',
					content: jsonContent(schemaRef('Error'))
				}
			},
			schemas: {
				Error: object({
					error: {
						type: 'object',
						required: ['code', 'message'],
						additionalProperties: false,
						properties: {
							code: { type: 'string', enum: ['invalid_parameter', 'not_found', 'internal_error'] },
							message: { type: 'string' },
							parameter: { type: 'string', description: 'The offending parameter (400 only).' }
						}
					}
				}),
				Name: object(
					{ slug: { type: 'string' }, name: { type: 'string' } },
					'A territory or theme, named in the negotiated language.'
				),
				Location: object({
					lat: { type: 'number', minimum: -90, maximum: 90 },
					lng: { type: 'number', minimum: -180, maximum: 180 }
				}),
				Need: object(
					{
						id: { type: 'string', format: 'uuid' },
						kind: { type: 'string', enum: [...needKinds] },
						title: { type: 'string' },
						target: {
							type: 'integer',
							description:
								'Goal: minor currency units (money), people (volunteers), items (material) or hours (expertise).'
						},
						fulfilled: { type: 'integer', description: 'Progress, in the same unit as `target`.' },
						unit: nullable('string', {
							description: 'The currency (money), `people`, the item unit, or `hours`.'
						}),
						currency: nullable('string', { description: 'ISO 4217 code, for money needs.' }),
						stage: nullable('string', { format: 'uuid', description: 'The stage this need belongs to.' })
					},
					'Something the project asks for.'
				),
				Project: object(projectProperties, 'A public project as listed.'),
				ProjectDetail: object(
					{
						...projectProperties,
						description: { type: 'string', description: 'The story, as Markdown source.' },
						stages: list(schemaRef('Stage')),
						carrier: schemaRef('Carrier')
					},
					'A public project with its story, stages and carrier.'
				),
				Stage: object({
					id: { type: 'string', format: 'uuid' },
					name: { type: 'string' },
					description: { type: 'string' },
					starts_on: nullable('string', { format: 'date' }),
					ends_on: nullable('string', { format: 'date' })
				}),
				Carrier: object(
					{
						legal_form: orNull({ type: 'string', enum: [...legalForms] }),
						name: { type: 'string' }
					},
					'Who carries the project.'
				),
				PageMeta: object({
					page: { type: 'integer', minimum: 1 },
					per_page: { type: 'integer', minimum: 1, maximum: 100 },
					total: {
						type: 'integer',
						minimum: 0,
						maximum: LISTED_MAX,
						description: `Number of matching projects, counted up to ${LISTED_MAX}: when more match, \`total\` is ${LISTED_MAX} and \`capped\` is true.`
					},
					capped: {
						type: 'boolean',
						description: `True when more than ${LISTED_MAX} projects match: \`total\` is then a lower bound, only the first ${LISTED_MAX} can be paged through (narrow the search to see the others). With \`q\` and the \`relevance\` order, those are the ${LISTED_MAX} most recently published matches, ranked by relevance.`
					}
				}),
				ProjectList: object({ data: list(schemaRef('Project')), meta: schemaRef('PageMeta') }),
				Territory: object({
					slug: { type: 'string' },
					kind: { type: 'string', enum: [...territoryKinds] },
					name_fr: { type: 'string' },
					name_en: { type: 'string' },
					parent: nullable('string', { description: "The parent territory's slug." }),
					center: orNull(schemaRef('Location'))
				}),
				Theme: object({ slug: { type: 'string' }, name_fr: { type: 'string' }, name_en: { type: 'string' } }),
				FeatureCollection: object({
					type: { type: 'string', const: 'FeatureCollection' },
					features: list(schemaRef('Feature'))
				}),
				Feature: object({
					type: { type: 'string', const: 'Feature' },
					geometry: object({
						type: { type: 'string', const: 'Point' },
						coordinates: {
							type: 'array',
							description: '`[longitude, latitude]`',
							minItems: 2,
							maxItems: 2,
							prefixItems: [
								{ type: 'number', minimum: -180, maximum: 180 },
								{ type: 'number', minimum: -90, maximum: 90 }
							]
						}
					}),
					properties: object({
						slug: { type: 'string' },
						title: { type: 'string' },
						status: { type: 'string', enum: [...publicStatuses] },
						url: { type: 'string', format: 'uri' },
						territory: schemaRef('Name')
					})
				})
			}
		}
	};
}
