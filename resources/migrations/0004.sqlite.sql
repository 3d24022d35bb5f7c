CREATE INDEX "issuance_issued_at" ON "issuance" ("issued_at");
CREATE INDEX "voucher_state_expires_on" ON "voucher" ("state", "expires_on");
CREATE INDEX "voucher_voided_at" ON "voucher" ("voided_at");
CREATE INDEX "voucher_redeemed_point_id_redeemed_at" ON "voucher" ("redeemed_point_id", "redeemed_at");
CREATE INDEX "ledger_entry_service_point_id_created_at" ON "ledger_entry" ("service_point_id", "created_at");
CREATE INDEX "ledger_entry_staff_id_posted_on" ON "ledger_entry" ("staff_id", "posted_on");
CREATE INDEX "audit_event_entity_entity_id" ON "audit_event" ("entity", "entity_id");
