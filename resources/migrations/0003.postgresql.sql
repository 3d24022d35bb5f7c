CREATE FUNCTION "ffdesk_audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$;
CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION "ffdesk_audit_event_append_only"();
CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION "ffdesk_audit_event_append_only"();
CREATE FUNCTION "ffdesk_audit_head_forward"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION 'audit_head only moves forward one event at a time'; END IF; IF NEW."seq" <> OLD."seq" + 1 OR NEW."id" <> OLD."id" THEN RAISE EXCEPTION 'audit_head only moves forward one event at a time'; END IF; RETURN NEW; END $$;
CREATE TRIGGER "audit_head_forward" BEFORE UPDATE OR DELETE ON "audit_head" FOR EACH ROW EXECUTE FUNCTION "ffdesk_audit_head_forward"();
CREATE TRIGGER "audit_head_no_truncate" BEFORE TRUNCATE ON "audit_head" FOR EACH STATEMENT EXECUTE FUNCTION "ffdesk_audit_head_forward"();
