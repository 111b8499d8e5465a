// A small, dependency-free checker for our OpenAPI document, used by the tests: the structural rules
// of OpenAPI 3.1 we rely on, and a JSON Schema validator for the subset of keywords the document uses
// (so real responses can be checked against their documented schemas).

type Json = unknown;
type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Follows a local `#/...` reference; undefined when it leads nowhere. */
export function resolvePointer(doc: Obj, pointer: string): unknown {
	if (!pointer.startsWith('#/')) return undefined;
	let node: unknown = doc;
	for (const raw of pointer.slice(2).split('/')) {
		const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (!isObject(node) || !(key in node)) return undefined;
		node = node[key];
	}
	return node;
}

function deref<T = Obj>(doc: Obj, node: unknown): T {
	let current = node;
	for (let i = 0; i < 20 && isObject(current) && typeof current.$ref === 'string'; i++)
		current = resolvePointer(doc, current.$ref);
	return current as T;
}

/** Every `$ref` in the document, with where it was found. */
function collectRefs(node: unknown, at: string, out: { ref: string; at: string }[]): void {
	if (Array.isArray(node)) node.forEach((v, i) => collectRefs(v, `${at}/${i}`, out));
	else if (isObject(node))
		for (const [k, v] of Object.entries(node)) {
			if (k === '$ref' && typeof v === 'string') out.push({ ref: v, at });
			else collectRefs(v, `${at}/${k}`, out);
		}
}

/** The structural problems of an OpenAPI 3.1 document (empty when valid for our purposes). */
export function checkOpenApi(doc: Obj): string[] {
	const problems: string[] = [];
	if (doc.openapi !== '3.1.0') problems.push(`openapi is ${String(doc.openapi)}, expected 3.1.0`);
	const info = doc.info;
	if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string')
		problems.push('info.title and info.version are required strings');
	if (!isObject(doc.paths)) return [...problems, 'paths is required'];

	const refs: { ref: string; at: string }[] = [];
	collectRefs(doc, '#', refs);
	for (const { ref, at } of refs) {
		if (!ref.startsWith('#/components/')) problems.push(`${at}: $ref ${ref} is not a components entry`);
		else if (resolvePointer(doc, ref) === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
	}
	const components = isObject(doc.components) ? doc.components : {};
	for (const [kind, entries] of Object.entries(components))
		for (const name of Object.keys(isObject(entries) ? entries : {}))
			if (!/^[a-zA-Z0-9._-]+$/.test(name)) problems.push(`components.${kind}.${name}: invalid name`);

	const operationIds = new Set<string>();
	for (const [path, item] of Object.entries(doc.paths)) {
		if (!path.startsWith('/')) problems.push(`${path}: paths must start with /`);
		if (!isObject(item)) {
			problems.push(`${path}: not an object`);
			continue;
		}
		const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
		const shared = Array.isArray(item.parameters) ? item.parameters : [];
		for (const method of METHODS.filter((m) => m in item)) {
			const op = item[method];
			const where = `${method.toUpperCase()} ${path}`;
			if (!isObject(op)) {
				problems.push(`${where}: not an object`);
				continue;
			}
			if (typeof op.operationId === 'string') {
				if (operationIds.has(op.operationId)) problems.push(`${where}: duplicate operationId`);
				operationIds.add(op.operationId);
			}
			const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map((p) =>
				deref(doc, p)
			);
			const seen = new Set<string>();
			for (const p of params) {
				if (!isObject(p) || typeof p.name !== 'string') {
					problems.push(`${where}: a parameter has no name`);
					continue;
				}
				const key = `${p.in}:${p.name}`;
				if (seen.has(key)) problems.push(`${where}: parameter ${key} declared twice`);
				seen.add(key);
				if (!['query', 'path', 'header', 'cookie'].includes(String(p.in)))
					problems.push(`${where}: parameter ${p.name} has an invalid "in"`);
				if (!isObject(p.schema) && !isObject(p.content))
					problems.push(`${where}: parameter ${p.name} has no schema`);
				if (p.in === 'path') {
					if (p.required !== true) problems.push(`${where}: path parameter ${p.name} must be required`);
					if (!templated.includes(p.name))
						problems.push(`${where}: path parameter ${p.name} is not in the path`);
				}
			}
			for (const name of templated)
				if (!seen.has(`path:${name}`)) problems.push(`${where}: path parameter {${name}} is not declared`);
			if (!isObject(op.responses) || Object.keys(op.responses).length === 0) {
				problems.push(`${where}: no responses`);
				continue;
			}
			for (const [status, r] of Object.entries(op.responses)) {
				if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status))
					problems.push(`${where}: invalid response code ${status}`);
				const response = deref(doc, r);
				if (!isObject(response) || typeof response.description !== 'string')
					problems.push(`${where} ${status}: a response needs a description`);
				else if (isObject(response.content))
					for (const [type, media] of Object.entries(response.content))
						if (!isObject(media) || !isObject(media.schema))
							problems.push(`${where} ${status} ${type}: no schema`);
			}
		}
	}
	return problems;
}

const FORMATS: Record<string, (s: string) => boolean> = {
	'date-time': (s) =>
		/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
		!Number.isNaN(Date.parse(s)),
	date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
	uri: (s) => {
		try {
			return Boolean(new URL(s).protocol);
		} catch {
			return false;
		}
	},
	uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)
};

function typeOf(v: Json): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
	return typeof v;
}

/**
 * Validates a value against a schema of the document (JSON Schema 2020-12 subset: $ref, type, const,
 * enum, oneOf, anyOf, allOf, properties, required, additionalProperties, items, prefixItems, min/maxItems,
 * minimum, maximum, exclusiveMinimum, maxLength, pattern, format). Returns the errors with their path.
 */
export function validate(doc: Obj, schema: unknown, value: Json, at = '$'): string[] {
	const s = deref(doc, schema);
	if (!isObject(s)) return [`${at}: unresolvable schema`];
	const errors: string[] = [];
	if (s.type !== undefined) {
		const types = Array.isArray(s.type) ? s.type : [s.type];
		const actual = typeOf(value);
		if (!types.includes(actual) && !(actual === 'integer' && types.includes('number')))
			return [`${at}: expected ${types.join('|')}, got ${actual}`];
	}
	if ('const' in s && value !== s.const) errors.push(`${at}: expected ${JSON.stringify(s.const)}`);
	if (Array.isArray(s.enum) && !s.enum.includes(value))
		errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
	if (Array.isArray(s.oneOf)) {
		const passing = s.oneOf.filter((sub) => validate(doc, sub, value, at).length === 0).length;
		if (passing !== 1) errors.push(`${at}: matches ${passing} of oneOf, expected exactly 1`);
	}
	if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => validate(doc, sub, value, at).length === 0))
		errors.push(`${at}: matches none of anyOf`);
	if (Array.isArray(s.allOf)) for (const sub of s.allOf) errors.push(...validate(doc, sub, value, at));
	if (typeof value === 'number') {
		if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${at}: below ${s.minimum}`);
		if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${at}: above ${s.maximum}`);
		if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum)
			errors.push(`${at}: not above ${s.exclusiveMinimum}`);
	}
	if (typeof value === 'string') {
		if (typeof s.maxLength === 'number' && value.length > s.maxLength) errors.push(`${at}: too long`);
		if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
			errors.push(`${at}: does not match ${s.pattern}`);
		if (typeof s.format === 'string' && FORMATS[s.format] && !FORMATS[s.format](value))
			errors.push(`${at}: ${JSON.stringify(value)} is not a ${s.format}`);
	}
	if (Array.isArray(value)) {
		if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${at}: too few items`);
		if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`${at}: too many items`);
		const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
		value.forEach((item, i) => {
			if (i < prefix.length) errors.push(...validate(doc, prefix[i], item, `${at}[${i}]`));
			else if (s.items !== undefined) errors.push(...validate(doc, s.items, item, `${at}[${i}]`));
		});
	}
	if (isObject(value)) {
		const properties = isObject(s.properties) ? s.properties : {};
		for (const key of Array.isArray(s.required) ? s.required : [])
			if (!(key in value)) errors.push(`${at}: missing ${key}`);
		for (const [key, v] of Object.entries(value)) {
			if (key in properties) errors.push(...validate(doc, properties[key], v, `${at}.${key}`));
			else if (s.additionalProperties === false) errors.push(`${at}: unexpected property ${key}`);
		}
	}
	return errors;
}
