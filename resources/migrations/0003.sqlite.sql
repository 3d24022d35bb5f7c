CREATE TRIGGER "audit_event_no_update" BEFORE UPDATE ON "audit_event" BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
CREATE TRIGGER "audit_event_no_delete" BEFORE DELETE ON "audit_event" BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
CREATE TRIGGER "audit_head_forward" BEFORE UPDATE ON "audit_head" WHEN NEW."seq" <> OLD."seq" + 1 OR NEW."id" <> OLD."id" BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward one event at a time'); END;
CREATE TRIGGER "audit_head_no_delete" BEFORE DELETE ON "audit_head" BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward one event at a time'); END;
