-- The ledger is append-only: entries and groups are never updated or deleted (a correction is a new group).
CREATE OR REPLACE FUNCTION parvis_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END $$;--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
	FOR EACH ROW EXECUTE FUNCTION parvis_ledger_append_only();--> statement-breakpoint
CREATE TRIGGER ledger_groups_append_only BEFORE UPDATE OR DELETE ON ledger_groups
	FOR EACH ROW EXECUTE FUNCTION parvis_ledger_append_only();--> statement-breakpoint
-- Every group balances (per currency), checked at commit so a group's entries can be inserted one by one.
CREATE OR REPLACE FUNCTION parvis_ledger_group_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (
		SELECT 1 FROM ledger_entries WHERE group_id = NEW.group_id
		GROUP BY currency HAVING sum(amount_minor) <> 0
	) THEN
		RAISE EXCEPTION 'ledger group % does not balance', NEW.group_id;
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION parvis_ledger_group_balances();
