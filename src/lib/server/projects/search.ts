import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';

/**
 * Recomputes a project's search document: title (A), summary and themes (B), description and place (C),
 * each in French and English configurations (accents folded before stemming).
 */
export async function refreshSearch(exec: Executor, projectId: string): Promise<void> {
	await refreshSearchWhere(exec, sql`p.id = ${projectId}`);
}

/** The same for every project matching a condition on `p` (one set-based UPDATE: seeds, tests). */
export async function refreshSearchWhere(exec: Executor, condition: SQL): Promise<void> {
	await exec.execute(sql`
		UPDATE projects p SET search_vector =
			setweight(to_tsvector('parvis_fr', p.title), 'A') || setweight(to_tsvector('parvis_en', p.title), 'A') ||
			setweight(to_tsvector('parvis_fr', p.summary), 'B') || setweight(to_tsvector('parvis_en', p.summary), 'B') ||
			setweight(to_tsvector('parvis_fr', coalesce((SELECT string_agg(t.name_fr || ' ' || t.name_en, ' ')
				FROM project_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.project_id = p.id), '')), 'B') ||
			setweight(to_tsvector('parvis_fr', left(p.description, 20000)), 'C') ||
			setweight(to_tsvector('parvis_en', left(p.description, 20000)), 'C') ||
			setweight(to_tsvector('parvis_fr', p.address || ' ' || p.carrier_name), 'C')
		WHERE ${condition}`);
}

/**
 * The tsquery for what a person typed: each word stemmed in French and in English (accents folded),
 * matched as a prefix so that "velo" finds "vélos" and "jardins partagés" finds "Jardin partagé".
 * All words must match (in either language). Returns null when nothing searchable remains.
 */
export function searchQuery(q: string): SQL {
	const words = q
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter((w) => w.length > 0)
		.slice(0, 12);
	if (words.length === 0) return sql`NULL::tsquery`;
	// For each word: (fr lexemes :*) | (en lexemes :*); a stop word in either language is skipped
	// ("de", "the"); the words are then joined with &.
	const parts = words.map(
		(w) => sql`(SELECT CASE WHEN fr.a = '{}' OR en.a = '{}' THEN NULL ELSE
				to_tsquery('simple', (SELECT string_agg(DISTINCT quote_literal(l) || ':*', ' | ') FROM unnest(fr.a || en.a) AS l)) END
			FROM (SELECT tsvector_to_array(to_tsvector('parvis_fr', ${w})) AS a) fr,
				(SELECT tsvector_to_array(to_tsvector('parvis_en', ${w})) AS a) en)`
	);
	return sql`(SELECT to_tsquery('simple', string_agg('(' || q::text || ')', ' & ')) FROM unnest(ARRAY[${sql.join(parts, sql`, `)}]::tsquery[]) AS q WHERE q IS NOT NULL)`;
}
