/**
 * The tables the generator fills, in insert order: seed.ts inserts them in TABLE_ORDER, so a table
 * comes after every table it references.
 */

export type Row = Record<string, unknown>;

export const TABLE_ORDER = [
  "supplier_settings", "users", "accounts", "locations", "cost_centers", "memberships", "membership_locations",
  "invitations", "api_keys", "sales_orders", "sales_order_lines", "order_milestones", "order_confirmations",
  "shipments", "shipment_lines", "tracking_events", "delivery_notes", "delivery_note_lines",
  "invoices", "invoice_lines", "invoice_allowance_charges", "invoice_tax_breakdown", "payments",
  "quotes", "quote_lines", "quote_decisions", "statements", "document_files",
  "return_requests", "return_request_lines", "support_tickets", "ticket_messages", "notifications",
  "signup_requests", "import_runs", "rejected_records", "audit_events",
] as const;
export type TableName = (typeof TABLE_ORDER)[number];
export type Tables = Record<TableName, Row[]>;

/** Empty row lists, keyed in TABLE_ORDER (that key order is also the order of the serialised output). */
export function emptyTables(): Tables {
  return Object.fromEntries(TABLE_ORDER.map((t) => [t, [] as Row[]])) as Tables;
}
