ALTER TABLE "audit_event" ADD COLUMN "key_id" VARCHAR(16);
ALTER TABLE "audit_event" ADD COLUMN "row_state" TEXT;
CREATE TABLE "chain_head" ("id" INTEGER NOT NULL PRIMARY KEY, "seq" INTEGER NOT NULL, "digest" VARCHAR(64) NOT NULL, "kind" VARCHAR(16) NOT NULL, "label" VARCHAR(32) NOT NULL, "recorded_at" DATETIME NOT NULL);
CREATE TRIGGER "chain_head_no_update" BEFORE UPDATE ON "chain_head" BEGIN SELECT RAISE(ABORT, 'chain_head is append-only'); END;
CREATE TRIGGER "chain_head_no_delete" BEFORE DELETE ON "chain_head" BEGIN SELECT RAISE(ABORT, 'chain_head is append-only'); END;
CREATE TRIGGER "ledger_entry_no_update" BEFORE UPDATE ON "ledger_entry" BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only'); END;
CREATE TRIGGER "ledger_entry_no_delete" BEFORE DELETE ON "ledger_entry" BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only'); END;
