ALTER TABLE "audit_event" ADD COLUMN "key_id" VARCHAR(16);
ALTER TABLE "audit_event" ADD COLUMN "row_state" TEXT;
CREATE TABLE "chain_head" ("id" SERIAL NOT NULL PRIMARY KEY, "seq" BIGINT NOT NULL, "digest" VARCHAR(64) NOT NULL, "kind" VARCHAR(16) NOT NULL, "label" VARCHAR(32) NOT NULL, "recorded_at" TIMESTAMP NOT NULL);
CREATE FUNCTION "ffdesk_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$;
CREATE TRIGGER "chain_head_append_only" BEFORE UPDATE OR DELETE ON "chain_head" FOR EACH ROW EXECUTE FUNCTION "ffdesk_append_only"();
CREATE TRIGGER "chain_head_no_truncate" BEFORE TRUNCATE ON "chain_head" FOR EACH STATEMENT EXECUTE FUNCTION "ffdesk_append_only"();
CREATE TRIGGER "ledger_entry_append_only" BEFORE UPDATE OR DELETE ON "ledger_entry" FOR EACH ROW EXECUTE FUNCTION "ffdesk_append_only"();
CREATE TRIGGER "ledger_entry_no_truncate" BEFORE TRUNCATE ON "ledger_entry" FOR EACH STATEMENT EXECUTE FUNCTION "ffdesk_append_only"();
