-- Full-text search in French and English with accents folded before stemming.
-- unaccent and pg_trgm are trusted extensions (no superuser needed); both exist in PGlite and PostgreSQL 15+.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'parvis_fr') THEN
		CREATE TEXT SEARCH CONFIGURATION parvis_fr (COPY = french);
		ALTER TEXT SEARCH CONFIGURATION parvis_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'parvis_en') THEN
		CREATE TEXT SEARCH CONFIGURATION parvis_en (COPY = english);
		ALTER TEXT SEARCH CONFIGURATION parvis_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
	END IF;
END $$;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS projects_title_trgm_idx ON projects USING gin (title gin_trgm_ops);
