-- The version of what anonymous visitors can see. Every statement that writes to a table whose content
-- can reach a public page or the public API takes a number from this sequence (a sequence takes no
-- lock, so writers never wait on each other for it). The public page cache (platform/page-cache.ts)
-- serves a stored response only while the sequence has not moved since it was rendered.
CREATE SEQUENCE IF NOT EXISTS public_data_version;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_public_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM nextval('public_data_version');
	RETURN NULL;
END $$;
--> statement-breakpoint
-- Every table of the schema but the ones that never show publicly and are written on many requests
-- (sessions, rate limits, the audit log, e-mail tokens). A table added later needs the same trigger:
-- a test lists the tables without it.
DO $$
DECLARE t text;
BEGIN
	FOR t IN
		SELECT tablename FROM pg_tables
		WHERE schemaname = 'public'
			AND tablename NOT IN ('sessions', 'rate_limits', 'audit_log', 'email_tokens')
	LOOP
		EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_public_version', t);
		EXECUTE format(
			'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
				|| 'FOR EACH STATEMENT EXECUTE FUNCTION bump_public_data_version()',
			t || '_public_version', t);
	END LOOP;
END $$;
