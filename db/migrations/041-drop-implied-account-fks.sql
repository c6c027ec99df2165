-- Child rows' `account_id REFERENCES accounts` is implied: each of these tables also has
-- `(parent_id, account_id) REFERENCES parent(id, account_id)` with both columns NOT NULL, and the
-- parent's own `account_id REFERENCES accounts`. The dropped check cost an index probe and a KEY SHARE
-- lock on the one account row per child row; concurrent ingest batches of one account turned those
-- shared locks into MultiXacts. Decision 027 (docs/decisions/027-implied-account-fks-dropped.md).
ALTER TABLE delivery_note_lines DROP CONSTRAINT delivery_note_lines_account_id_fkey;
ALTER TABLE invoice_allowance_charges DROP CONSTRAINT invoice_allowance_charges_account_id_fkey;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_account_id_fkey;
ALTER TABLE invoice_tax_breakdown DROP CONSTRAINT invoice_tax_breakdown_account_id_fkey;
ALTER TABLE order_confirmations DROP CONSTRAINT order_confirmations_account_id_fkey;
ALTER TABLE order_milestones DROP CONSTRAINT order_milestones_account_id_fkey;
ALTER TABLE payments DROP CONSTRAINT payments_account_id_fkey;
ALTER TABLE quote_decisions DROP CONSTRAINT quote_decisions_account_id_fkey;
ALTER TABLE quote_lines DROP CONSTRAINT quote_lines_account_id_fkey;
ALTER TABLE return_request_lines DROP CONSTRAINT return_request_lines_account_id_fkey;
ALTER TABLE sales_order_lines DROP CONSTRAINT sales_order_lines_account_id_fkey;
ALTER TABLE shipment_lines DROP CONSTRAINT shipment_lines_account_id_fkey;
ALTER TABLE ticket_messages DROP CONSTRAINT ticket_messages_account_id_fkey;
ALTER TABLE tracking_events DROP CONSTRAINT tracking_events_account_id_fkey;
