-- What the public listings filter on, kept on the project row so that any mix of filters is one condition
-- on one index (docs/performance/queries.md). `facets` holds 't:<slug>' for the project's territory and
-- each of its ancestors (a filter on a region finds the projects of its cities), 'th:<slug>' for each of
-- its themes and 'n:<kind>' for each kind of need it has. `facets @> ARRAY['t:lyon', 'th:food']` replaces
-- a recursive walk of the territories and one lookup per row in project_themes and needs.
-- Triggers keep it right whatever writes: the project's territory, its themes, its needs, and a
-- territory's or a theme's slug or place in the tree.
ALTER TABLE projects ADD COLUMN IF NOT EXISTS facets text[] DEFAULT '{}'::text[] NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION project_facets(pid uuid, tid uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(DISTINCT f ORDER BY f), '{}') FROM (
		SELECT 't:' || up.slug FROM (
			WITH RECURSIVE up AS (
				SELECT t.id, t.parent_id, t.slug, 0 AS depth FROM territories t WHERE t.id = tid
				UNION ALL
				SELECT t.id, t.parent_id, t.slug, up.depth + 1 FROM territories t JOIN up ON t.id = up.parent_id
				WHERE up.depth < 32
			) SELECT slug FROM up
		) up
		UNION ALL
		SELECT 'th:' || th.slug FROM project_themes pt JOIN themes th ON th.id = pt.theme_id WHERE pt.project_id = pid
		UNION ALL
		SELECT 'n:' || n.kind FROM needs n WHERE n.project_id = pid
	) x(f)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION projects_set_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.facets := project_facets(NEW.id, NEW.territory_id);
	RETURN NEW;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS projects_facets ON projects;
--> statement-breakpoint
CREATE TRIGGER projects_facets BEFORE INSERT OR UPDATE OF territory_id ON projects
	FOR EACH ROW EXECUTE FUNCTION projects_set_facets();
--> statement-breakpoint
-- Themes and needs are written one statement at a time, or by the thousand in a seed: one UPDATE per
-- statement (transition tables), for the projects it touched.
CREATE OR REPLACE FUNCTION refresh_facets_of_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE projects p SET facets = project_facets(p.id, p.territory_id)
	WHERE p.id IN (SELECT DISTINCT project_id FROM changed_rows);
	RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS project_themes_facets_insert ON project_themes;
--> statement-breakpoint
CREATE TRIGGER project_themes_facets_insert AFTER INSERT ON project_themes
	REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION refresh_facets_of_new_rows();
--> statement-breakpoint
DROP TRIGGER IF EXISTS project_themes_facets_delete ON project_themes;
--> statement-breakpoint
CREATE TRIGGER project_themes_facets_delete AFTER DELETE ON project_themes
	REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION refresh_facets_of_new_rows();
--> statement-breakpoint
DROP TRIGGER IF EXISTS needs_facets_insert ON needs;
--> statement-breakpoint
CREATE TRIGGER needs_facets_insert AFTER INSERT ON needs
	REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION refresh_facets_of_new_rows();
--> statement-breakpoint
DROP TRIGGER IF EXISTS needs_facets_delete ON needs;
--> statement-breakpoint
CREATE TRIGGER needs_facets_delete AFTER DELETE ON needs
	REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION refresh_facets_of_new_rows();
--> statement-breakpoint
-- A need's counters change on every pledge: only a change of kind or project moves the facets.
CREATE OR REPLACE FUNCTION needs_refresh_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE projects p SET facets = project_facets(p.id, p.territory_id) WHERE p.id IN (OLD.project_id, NEW.project_id);
	RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS needs_facets_update ON needs;
--> statement-breakpoint
CREATE TRIGGER needs_facets_update AFTER UPDATE OF kind, project_id ON needs FOR EACH ROW
	WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.project_id IS DISTINCT FROM NEW.project_id)
	EXECUTE FUNCTION needs_refresh_facets();
--> statement-breakpoint
-- A territory renamed or moved in the tree: the projects of it and of everything below it.
CREATE OR REPLACE FUNCTION territories_refresh_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE projects p SET facets = project_facets(p.id, p.territory_id)
	WHERE p.territory_id IN (
		WITH RECURSIVE down AS (
			SELECT NEW.id AS id, 0 AS depth
			UNION ALL
			SELECT t.id, down.depth + 1 FROM territories t JOIN down ON t.parent_id = down.id WHERE down.depth < 32
		) SELECT id FROM down);
	RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS territories_facets ON territories;
--> statement-breakpoint
CREATE TRIGGER territories_facets AFTER UPDATE OF slug, parent_id ON territories FOR EACH ROW
	WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.parent_id IS DISTINCT FROM NEW.parent_id)
	EXECUTE FUNCTION territories_refresh_facets();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION themes_refresh_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE projects p SET facets = project_facets(p.id, p.territory_id)
	WHERE p.id IN (SELECT project_id FROM project_themes WHERE theme_id = NEW.id);
	RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS themes_facets ON themes;
--> statement-breakpoint
CREATE TRIGGER themes_facets AFTER UPDATE OF slug ON themes FOR EACH ROW
	WHEN (OLD.slug IS DISTINCT FROM NEW.slug) EXECUTE FUNCTION themes_refresh_facets();
--> statement-breakpoint
UPDATE projects p SET facets = project_facets(p.id, p.territory_id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS projects_facets_idx ON projects USING gin (facets);
