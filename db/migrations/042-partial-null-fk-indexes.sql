-- Indexes on mostly-NULL reference columns of invoices and invoice lines only for the rows that have
-- a reference (issue 5: ERP ingest CPU per batch; decision 022, addendum 2).
--
-- These indexes serve the foreign keys' ON DELETE SET NULL (`… WHERE col = $1`) and look-ups by the
-- referenced row (`invoices WHERE sales_order_id = $1`, credit notes `WHERE preceding_invoice_id =
-- $1`, invoiced quantities by sales order line). Every one of those compares with `=`, which no NULL
-- satisfies, so Postgres uses the partial index for all of them; the NULL entries (an invoice without
-- an order, a line not tied to an order line, every invoice without a preceding invoice) were only
-- written, never read, on each insert.
DROP INDEX invoice_lines_order_line_idx;
CREATE INDEX invoice_lines_order_line_idx ON invoice_lines (sales_order_line_id) WHERE sales_order_line_id IS NOT NULL;
DROP INDEX invoices_order_idx;
CREATE INDEX invoices_order_idx ON invoices (sales_order_id) WHERE sales_order_id IS NOT NULL;
DROP INDEX invoices_preceding_idx;
CREATE INDEX invoices_preceding_idx ON invoices (preceding_invoice_id) WHERE preceding_invoice_id IS NOT NULL;
