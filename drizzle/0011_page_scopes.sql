-- Narrower invalidation for the public page cache (platform/page-cache.ts), in place of migration 0009's
-- one global sequence moved by every write statement.
--
-- A write notes the *scopes* it concerns in `page_changes`, one row per scope and transaction:
--   project:<id>    the project's own rows (needs, stages, contributions, team, themes, reviews…)
--   territory:<id>  a project of this territory or of one of its descendants changed (territory pages,
--                   listings filtered by territory)
--   projects        any project changed (unfiltered listings, the home page, the API list, the map)
--   global          anything else: territories, themes, settings, criteria, a public name, and any table
--                   without a specific trigger (db/migrate.ts gives every new table this one by default)
-- A cached page records the scopes it depends on and the snapshot (`pg_current_snapshot()`) taken
-- before it was rendered; it is served again only while no row of those scopes was written by a
-- transaction that snapshot did not see. The row is transactional, so a change is visible exactly
-- when it commits: unlike a sequence, a statement that commits after the render's snapshot is caught.
-- Inserts only (no counter row to update): concurrent writers never wait on each other here.
DO $$
DECLARE t text;
BEGIN
	FOR t IN SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE g.tgname = c.relname || '_public_version'
	LOOP
		EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_public_version', t);
	END LOOP;
END $$;
--> statement-breakpoint
DROP FUNCTION IF EXISTS bump_public_data_version();
--> statement-breakpoint
DROP SEQUENCE IF EXISTS public_data_version;
--> statement-breakpoint
CREATE TABLE page_changes (
	scope text NOT NULL,
	xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
--> statement-breakpoint
CREATE INDEX page_changes_scope_xid ON page_changes (scope, xid);
--> statement-breakpoint
-- Notes scopes once per transaction: the ones already noted are kept in a transaction-local setting
-- (reverted with the transaction or savepoint that set it, like the rows), so a donation's twenty
-- statements insert their few rows once. A transaction that touches many things (a bulk import, the
-- bench's seed) notes `global` once, which every page depends on, and then nothing more (' * ').
CREATE OR REPLACE FUNCTION note_page_scopes(scopes text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	seen text := coalesce(current_setting('parvis.page_scopes', true), '');
	fresh text[] := '{}';
	s text;
BEGIN
	IF seen = ' * ' THEN RETURN; END IF;
	IF length(seen) > 4000 OR 'global' = ANY(scopes) THEN
		INSERT INTO page_changes (scope) VALUES ('global');
		PERFORM set_config('parvis.page_scopes', ' * ', true);
		RETURN;
	END IF;
	FOREACH s IN ARRAY scopes LOOP
		CONTINUE WHEN s IS NULL OR position(' ' || s || ' ' IN seen) > 0;
		fresh := fresh || s;
		seen := seen || ' ' || s || ' ';
	END LOOP;
	IF cardinality(fresh) = 0 THEN RETURN; END IF;
	INSERT INTO page_changes (scope) SELECT unnest(fresh);
	PERFORM set_config('parvis.page_scopes', seen, true);
END $$;
--> statement-breakpoint
-- A territory and its ancestors (a project of a commune shows on its department's and region's pages).
CREATE OR REPLACE FUNCTION page_territory_scopes(tid uuid) RETURNS text[] LANGUAGE plpgsql STABLE AS $$
DECLARE
	out text[] := '{}';
	cur uuid := tid;
BEGIN
	WHILE cur IS NOT NULL AND cardinality(out) < 20 LOOP
		out := out || ('territory:' || cur);
		SELECT parent_id INTO cur FROM territories WHERE id = cur;
	END LOOP;
	RETURN out;
END $$;
--> statement-breakpoint
-- One project's scopes: the project, every project, its territory and the territory's ancestors (the
-- per-row triggers below check the memo inline first, so the statements after a transaction's first
-- cost a string search).
CREATE OR REPLACE FUNCTION note_page_project(pid uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	seen text := coalesce(current_setting('parvis.page_scopes', true), '');
	tid uuid;
BEGIN
	IF pid IS NULL OR seen = ' * ' OR position(' project:' || pid || ' ' IN seen) > 0 THEN RETURN; END IF;
	SELECT territory_id INTO tid FROM projects WHERE id = pid;
	PERFORM note_page_scopes(ARRAY['project:' || pid, 'projects'] || page_territory_scopes(tid));
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION page_scope_global() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM note_page_scopes(ARRAY['global']);
	RETURN NULL;
END $$;
--> statement-breakpoint
-- projects: its own row, with the old and the new territory when it moves.
CREATE OR REPLACE FUNCTION page_scope_projects() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM note_page_scopes(ARRAY['project:' || NEW.id, 'projects'] || page_territory_scopes(NEW.territory_id));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM note_page_scopes(ARRAY['project:' || OLD.id, 'projects'] || page_territory_scopes(OLD.territory_id));
	ELSE
		PERFORM note_page_scopes(ARRAY['project:' || NEW.id, 'projects', 'project:' || OLD.id]
			|| page_territory_scopes(NEW.territory_id)
			|| CASE WHEN OLD.territory_id IS DISTINCT FROM NEW.territory_id
				THEN page_territory_scopes(OLD.territory_id) ELSE '{}'::text[] END);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- Tables with a project_id column. The memo is read inline: no function call when already noted.
CREATE OR REPLACE FUNCTION page_scope_project_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE seen text := coalesce(current_setting('parvis.page_scopes', true), '');
BEGIN
	IF seen = ' * ' THEN RETURN NULL; END IF;
	IF TG_OP <> 'DELETE' AND position(' project:' || NEW.project_id || ' ' IN seen) = 0 THEN
		PERFORM note_page_project(NEW.project_id);
	END IF;
	IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.project_id IS DISTINCT FROM NEW.project_id) THEN
		PERFORM note_page_project(OLD.project_id);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION page_scope_shifts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN PERFORM note_page_project((SELECT project_id FROM needs WHERE id = NEW.need_id)); END IF;
	IF TG_OP <> 'INSERT' THEN PERFORM note_page_project((SELECT project_id FROM needs WHERE id = OLD.need_id)); END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION page_scope_review_judgements() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN PERFORM note_page_project((SELECT project_id FROM reviews WHERE id = NEW.review_id)); END IF;
	IF TG_OP <> 'INSERT' THEN PERFORM note_page_project((SELECT project_id FROM reviews WHERE id = OLD.review_id)); END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- A ledger group: its contribution's project; a group without one (a payout, a correction): global.
-- Its entries are written with it, in the same transaction, by ledger.postGroup only (the one door), so
-- ledger_entries and ledger_accounts need no trigger of their own (db/migrate.ts, COVERED_TABLES).
CREATE OR REPLACE FUNCTION page_scope_ledger_groups() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE g ledger_groups;
BEGIN
	g := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	IF g.contribution_id IS NULL THEN
		PERFORM note_page_scopes(ARRAY['global']);
	ELSE
		PERFORM note_page_project((SELECT project_id FROM contributions WHERE id = g.contribution_id));
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- users: only what public pages show of a person (the name on a team, a deleted account).
CREATE OR REPLACE FUNCTION page_scope_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.display_name IS DISTINCT FROM NEW.display_name
		OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)) THEN
		PERFORM note_page_scopes(ARRAY['global']);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE
	t text;
	f text;
BEGIN
	FOR t, f IN SELECT * FROM (VALUES
		('projects', 'page_scope_projects'),
		('contributions', 'page_scope_project_id'),
		('needs', 'page_scope_project_id'),
		('stages', 'page_scope_project_id'),
		('project_members', 'page_scope_project_id'),
		('project_themes', 'page_scope_project_id'),
		('project_transitions', 'page_scope_project_id'),
		('project_invitations', 'page_scope_project_id'),
		('project_receipt_issuers', 'page_scope_project_id'),
		('reviews', 'page_scope_project_id'),
		('criterion_answers', 'page_scope_project_id'),
		('shifts', 'page_scope_shifts'),
		('review_judgements', 'page_scope_review_judgements'),
		('ledger_groups', 'page_scope_ledger_groups'),
		('users', 'page_scope_users')
	) AS v(t, f)
	LOOP
		EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_page_scope', t);
		EXECUTE format(
			'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION %I()',
			t || '_page_scope', t, f);
		EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_page_truncate', t);
		EXECUTE format(
			'CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION page_scope_global()',
			t || '_page_truncate', t);
	END LOOP;
END $$;
